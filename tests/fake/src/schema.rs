//! Attribute tables for the resources the fake serves. The same tables drive
//! input validation, PATCH path resolution and the `/schemas` discovery
//! documents, so what the fake accepts and what it advertises stay in step.

use serde_json::{Value, json};

/// Core User schema URN.
pub(crate) const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// Core Group schema URN.
pub(crate) const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// Enterprise User extension URN.
pub(crate) const ENTERPRISE_URN: &str =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/// Genesys Cloud User extension URN.
pub(crate) const GENESYS_URN: &str =
    "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User";
pub(crate) const SPC_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
pub(crate) const RESOURCE_TYPE_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
pub(crate) const SCHEMA_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";
pub(crate) const LIST_URN: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub(crate) const ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
pub(crate) const PATCH_URN: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// One attribute definition, in the shape of the ScimV2SchemaAttribute model.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Attr {
    pub name: &'static str,
    pub ty: &'static str,
    pub multi: bool,
    pub required: bool,
    pub case_exact: bool,
    pub mutability: &'static str,
    pub returned: &'static str,
    pub uniqueness: &'static str,
    pub description: &'static str,
    pub canonical: &'static [&'static str],
    pub reference_types: &'static [&'static str],
    pub sub: &'static [Attr],
}

impl Attr {
    const fn new(name: &'static str, ty: &'static str, description: &'static str) -> Attr {
        Attr {
            name,
            ty,
            multi: false,
            required: false,
            case_exact: false,
            mutability: "readWrite",
            returned: "default",
            uniqueness: "none",
            description,
            canonical: &[],
            reference_types: &[],
            sub: &[],
        }
    }
    const fn string(name: &'static str, description: &'static str) -> Attr {
        Attr::new(name, "string", description)
    }
    const fn complex(name: &'static str, description: &'static str, sub: &'static [Attr]) -> Attr {
        let mut a = Attr::new(name, "complex", description);
        a.sub = sub;
        a
    }
    const fn multi(mut self) -> Attr {
        self.multi = true;
        self
    }
    const fn required(mut self) -> Attr {
        self.required = true;
        self
    }
    const fn exact(mut self) -> Attr {
        self.case_exact = true;
        self
    }
    const fn read_only(mut self) -> Attr {
        self.mutability = "readOnly";
        self
    }
    const fn immutable(mut self) -> Attr {
        self.mutability = "immutable";
        self
    }
    const fn write_only(mut self) -> Attr {
        self.mutability = "writeOnly";
        self.returned = "never";
        self
    }
    const fn always(mut self) -> Attr {
        self.returned = "always";
        self
    }
    const fn unique(mut self) -> Attr {
        self.uniqueness = "server";
        self
    }
    const fn canonical(mut self, values: &'static [&'static str]) -> Attr {
        self.canonical = values;
        self
    }
    const fn refs(mut self, types: &'static [&'static str]) -> Attr {
        self.reference_types = types;
        self
    }

    /// Whether clients may never write this attribute.
    pub(crate) fn is_read_only(&self) -> bool {
        self.mutability == "readOnly"
    }

    /// Looks up a sub-attribute ignoring case.
    pub(crate) fn find_sub(&self, name: &str) -> Option<&'static Attr> {
        find_attr(self.sub, name)
    }

    /// The ScimV2SchemaAttribute JSON for this attribute.
    pub(crate) fn to_json(self) -> Value {
        let mut v = json!({
            "name": self.name,
            "type": self.ty,
            "multiValued": self.multi,
            "description": self.description,
            "required": self.required,
            "caseExact": self.case_exact,
            "mutability": self.mutability,
            "returned": self.returned,
            "uniqueness": self.uniqueness,
        });
        if let Some(obj) = v.as_object_mut() {
            if !self.sub.is_empty() {
                obj.insert(
                    "subAttributes".into(),
                    Value::Array(self.sub.iter().map(|a| a.to_json()).collect()),
                );
            }
            if !self.canonical.is_empty() {
                obj.insert("canonicalValues".into(), json!(self.canonical));
            }
            if !self.reference_types.is_empty() {
                obj.insert("referenceTypes".into(), json!(self.reference_types));
            }
        }
        v
    }
}

/// Finds an attribute by name ignoring ASCII case.
pub(crate) fn find_attr(list: &'static [Attr], name: &str) -> Option<&'static Attr> {
    list.iter().find(|a| a.name.eq_ignore_ascii_case(name))
}

const EMAIL_TYPES: &[&str] = &["work", "other"];
const PHONE_TYPES: &[&str] = &[
    "work",
    "work2",
    "work3",
    "work4",
    "home",
    "mobile",
    "other",
    "microsoftteams",
    "zoomphone",
    "eightbyeight",
    "ringcentral",
];
const RESOURCE_NAMES: &[&str] = &[
    "User",
    "Group",
    "ServiceProviderConfig",
    "ResourceType",
    "Schema",
];

static EMAIL_SUB: [Attr; 3] = [
    Attr::string("value", "The e-mail address."),
    Attr::string("type", "What kind of address this is.").canonical(EMAIL_TYPES),
    Attr::new("primary", "boolean", "Marks the preferred address."),
];
static PHONE_SUB: [Attr; 3] = [
    Attr::string("value", "The phone number, preferably in E.164 form."),
    Attr::string("type", "What kind of number this is.").canonical(PHONE_TYPES),
    Attr::new("primary", "boolean", "Marks the preferred number."),
];
static GROUP_REF_SUB: [Attr; 3] = [
    Attr::string("value", "Identifier of a group the user belongs to.").read_only(),
    Attr::new("$ref", "reference", "Location of that group.")
        .read_only()
        .refs(&["Group"]),
    Attr::string("type", "Kind of the referenced resource.")
        .read_only()
        .canonical(RESOURCE_NAMES),
];
static ROLE_SUB: [Attr; 1] = [Attr::string("value", "Name of a role granted to the user.")];
static MEMBER_SUB: [Attr; 3] = [
    Attr::string("value", "Identifier of a member user.")
        .immutable()
        .required(),
    Attr::new("$ref", "reference", "Location of the member user.")
        .immutable()
        .refs(&["User"]),
    Attr::string("type", "Kind of member; always User here.")
        .immutable()
        .canonical(RESOURCE_NAMES),
];
static MANAGER_SUB: [Attr; 2] = [
    Attr::string("value", "Identifier of the manager user.").exact(),
    Attr::new("$ref", "reference", "Location of the manager user.").refs(&["User"]),
];
static SKILL_SUB: [Attr; 2] = [
    Attr::string("name", "Name of a routing skill.").required(),
    Attr::new("proficiency", "decimal", "Skill level from 0 to 5."),
];
static LANGUAGE_SUB: [Attr; 2] = [
    Attr::string("name", "Name of a routing language.").required(),
    Attr::new("proficiency", "decimal", "Language level from 0 to 5."),
];
static EXTERNAL_ID_SUB: [Attr; 2] = [
    Attr::string("authority", "Who issued the identifier.")
        .required()
        .exact(),
    Attr::string("value", "The identifier as issued by the authority.")
        .required()
        .exact(),
];

/// Core User attributes.
pub(crate) static USER_ATTRS: [Attr; 12] = [
    Attr::string("id", "Server-assigned identifier of the user.")
        .read_only()
        .always()
        .exact()
        .unique(),
    Attr::string(
        "userName",
        "Login name of the user, an e-mail address; unique ignoring case.",
    )
    .required()
    .always()
    .unique(),
    Attr::string("displayName", "Name shown for the user.").required(),
    Attr::new(
        "active",
        "boolean",
        "Whether the user may sign in; false marks a deactivated user.",
    )
    .always(),
    Attr::string("password", "Write-only password; never returned.").write_only(),
    Attr::string("title", "Job title."),
    Attr::complex("phoneNumbers", "Phone numbers of the user.", &PHONE_SUB).multi(),
    Attr::complex("emails", "E-mail addresses of the user.", &EMAIL_SUB).multi(),
    Attr::string(
        "externalId",
        "Identifier assigned by the provisioning client.",
    )
    .exact(),
    Attr::complex(
        "groups",
        "Groups the user belongs to; change them through the group endpoints.",
        &GROUP_REF_SUB,
    )
    .multi()
    .read_only(),
    Attr::complex("roles", "Roles granted to the user.", &ROLE_SUB).multi(),
    Attr::complex("meta", "Resource metadata.", &[]).read_only(),
];

/// Enterprise User extension attributes.
pub(crate) static ENTERPRISE_ATTRS: [Attr; 5] = [
    Attr::string("division", "Name of the division the user belongs to.").exact(),
    Attr::string("department", "Department of the user."),
    Attr::complex("manager", "The user's manager.", &MANAGER_SUB),
    Attr::string(
        "employeeNumber",
        "Employee number assigned by the organisation.",
    )
    .exact(),
    Attr::string("dateHire", "Hire date as YYYY-MM-DD."),
];

/// Genesys Cloud User extension attributes.
pub(crate) static GENESYS_ATTRS: [Attr; 3] = [
    Attr::complex("routingSkills", "Routing skills, at most 50.", &SKILL_SUB).multi(),
    Attr::complex(
        "routingLanguages",
        "Routing languages, at most 50.",
        &LANGUAGE_SUB,
    )
    .multi(),
    Attr::complex(
        "externalIds",
        "Identifiers from external systems, keyed by authority.",
        &EXTERNAL_ID_SUB,
    )
    .multi(),
];

/// Core Group attributes.
pub(crate) static GROUP_ATTRS: [Attr; 5] = [
    Attr::string("id", "Server-assigned identifier of the group.")
        .read_only()
        .always()
        .exact()
        .unique(),
    Attr::string("displayName", "Name of the group.").required(),
    Attr::string(
        "externalId",
        "Identifier assigned by the provisioning client.",
    )
    .exact(),
    Attr::complex("members", "Users that belong to the group.", &MEMBER_SUB).multi(),
    Attr::complex("meta", "Resource metadata.", &[]).read_only(),
];

static SIMPLE_FEATURE: [Attr; 1] =
    [
        Attr::new("supported", "boolean", "Whether the feature is available.")
            .required()
            .read_only(),
    ];
static FILTER_FEATURE: [Attr; 2] = [
    Attr::new("supported", "boolean", "Whether filtering is available.")
        .required()
        .read_only(),
    Attr::new(
        "maxResults",
        "integer",
        "Largest page size the server returns.",
    )
    .read_only(),
];
static BULK_FEATURE: [Attr; 3] = [
    Attr::new(
        "supported",
        "boolean",
        "Whether bulk requests are available.",
    )
    .required()
    .read_only(),
    Attr::new(
        "maxOperations",
        "integer",
        "Most operations in one bulk request.",
    )
    .read_only(),
    Attr::new(
        "maxPayloadSize",
        "integer",
        "Largest bulk payload in bytes.",
    )
    .read_only(),
];
static AUTH_SCHEME_SUB: [Attr; 6] = [
    Attr::string("name", "Name of the scheme.")
        .required()
        .read_only(),
    Attr::string("description", "What the scheme is.")
        .required()
        .read_only(),
    Attr::new("specUri", "reference", "Specification of the scheme.")
        .read_only()
        .refs(&["external"]),
    Attr::new("documentationUri", "reference", "Help page for the scheme.")
        .read_only()
        .refs(&["external"]),
    Attr::string("type", "Kind of scheme.")
        .required()
        .read_only()
        .canonical(&[
            "oauth",
            "oauth2",
            "oauthbearertoken",
            "httpbasic",
            "httpdigest",
        ]),
    Attr::new("primary", "boolean", "Marks the preferred scheme.").read_only(),
];

static SPC_ATTRS: [Attr; 8] = [
    Attr::new(
        "documentationUri",
        "reference",
        "Help page of the service provider.",
    )
    .read_only()
    .refs(&["external"]),
    Attr::complex("patch", "PATCH support.", &SIMPLE_FEATURE)
        .required()
        .read_only(),
    Attr::complex("bulk", "Bulk support.", &BULK_FEATURE)
        .required()
        .read_only(),
    Attr::complex("filter", "Filter support.", &FILTER_FEATURE)
        .required()
        .read_only(),
    Attr::complex(
        "changePassword",
        "Password change support.",
        &SIMPLE_FEATURE,
    )
    .required()
    .read_only(),
    Attr::complex("sort", "Sorting support.", &SIMPLE_FEATURE)
        .required()
        .read_only(),
    Attr::complex("etag", "ETag support.", &SIMPLE_FEATURE)
        .required()
        .read_only(),
    Attr::complex(
        "authenticationSchemes",
        "Supported authentication schemes.",
        &AUTH_SCHEME_SUB,
    )
    .multi()
    .required()
    .read_only(),
];

static SCHEMA_EXTENSION_SUB: [Attr; 2] = [
    Attr::new("schema", "reference", "URN of an extension schema.")
        .required()
        .read_only()
        .exact()
        .refs(&["uri"]),
    Attr::new(
        "required",
        "boolean",
        "Whether resources must carry the extension.",
    )
    .required()
    .read_only(),
];
static RESOURCE_TYPE_ATTRS: [Attr; 6] = [
    Attr::string("id", "Identifier of the resource type.").read_only(),
    Attr::string("name", "Name of the resource type.")
        .required()
        .read_only(),
    Attr::string("description", "What the resource type is.").read_only(),
    Attr::new(
        "endpoint",
        "reference",
        "Endpoint path, relative to the SCIM base.",
    )
    .required()
    .read_only()
    .refs(&["uri"]),
    Attr::new("schema", "reference", "URN of the base schema.")
        .required()
        .read_only()
        .exact()
        .refs(&["uri"]),
    Attr::complex(
        "schemaExtensions",
        "Extension schemas of the resource type.",
        &SCHEMA_EXTENSION_SUB,
    )
    .multi()
    .read_only(),
];

static SCHEMA_ATTRIBUTE_SUB: [Attr; 12] = [
    Attr::string("name", "Attribute name.")
        .required()
        .read_only()
        .exact(),
    Attr::string("type", "Data type.")
        .required()
        .read_only()
        .canonical(&[
            "string",
            "boolean",
            "decimal",
            "integer",
            "dateTime",
            "reference",
            "complex",
        ]),
    Attr::new(
        "multiValued",
        "boolean",
        "Whether the attribute holds a list.",
    )
    .required()
    .read_only(),
    Attr::string("description", "What the attribute means.").read_only(),
    Attr::new(
        "required",
        "boolean",
        "Whether the attribute must be present.",
    )
    .read_only(),
    Attr::string("canonicalValues", "Suggested values.")
        .multi()
        .read_only(),
    Attr::new(
        "caseExact",
        "boolean",
        "Whether string comparison respects case.",
    )
    .read_only(),
    Attr::string(
        "mutability",
        "Whether and when the attribute may be written.",
    )
    .read_only()
    .canonical(&["readWrite", "readOnly", "immutable", "writeOnly"]),
    Attr::string("returned", "When the attribute is returned.")
        .read_only()
        .canonical(&["always", "never", "default", "request"]),
    Attr::string("uniqueness", "Uniqueness scope of the value.")
        .read_only()
        .canonical(&["none", "server", "global"]),
    Attr::string(
        "referenceTypes",
        "Kinds of resource a reference may point to.",
    )
    .multi()
    .read_only(),
    Attr::complex(
        "subAttributes",
        "Nested attribute definitions of a complex attribute.",
        &[],
    )
    .multi()
    .read_only(),
];
static SCHEMA_ATTRS: [Attr; 4] = [
    Attr::new("id", "reference", "URN of the schema.")
        .required()
        .read_only()
        .exact(),
    Attr::string("name", "Name of the schema.").read_only(),
    Attr::string("description", "What the schema describes.").read_only(),
    Attr::complex(
        "attributes",
        "Attribute definitions.",
        &SCHEMA_ATTRIBUTE_SUB,
    )
    .multi()
    .required()
    .read_only(),
];

/// A resource kind: its core attributes and the extensions it carries.
pub(crate) struct ResourceDef {
    pub core_urn: &'static str,
    pub core: &'static [Attr],
    pub extensions: &'static [(&'static str, &'static [Attr])],
    /// Attributes that projection never removes.
    pub always: &'static [&'static str],
}

/// Users: core plus the enterprise and Genesys extensions.
pub(crate) static USER_DEF: ResourceDef = ResourceDef {
    core_urn: USER_URN,
    core: &USER_ATTRS,
    extensions: &[
        (ENTERPRISE_URN, &ENTERPRISE_ATTRS),
        (GENESYS_URN, &GENESYS_ATTRS),
    ],
    always: &["id", "userName", "active", "meta", "schemas"],
};

/// Groups: core only.
pub(crate) static GROUP_DEF: ResourceDef = ResourceDef {
    core_urn: GROUP_URN,
    core: &GROUP_ATTRS,
    extensions: &[],
    always: &["id", "meta", "schemas"],
};

impl ResourceDef {
    /// The extension URN matching `name` ignoring case, if any.
    pub(crate) fn extension(&self, name: &str) -> Option<(&'static str, &'static [Attr])> {
        self.extensions
            .iter()
            .find(|(urn, _)| urn.eq_ignore_ascii_case(name))
            .copied()
    }
}

fn schema_doc(base: &str, id: &str, name: &str, description: &str, attrs: &[Attr]) -> Value {
    json!({
        "schemas": [SCHEMA_URN],
        "id": id,
        "name": name,
        "description": description,
        "attributes": attrs.iter().map(|a| a.to_json()).collect::<Vec<_>>(),
        "meta": {
            "resourceType": "Schema",
            "location": format!("{base}schemas/{id}"),
        }
    })
}

/// All schema definitions, in a stable order. `base` ends with a slash.
pub(crate) fn schemas(base: &str) -> Vec<Value> {
    // Users list `id` first but the schema documents skip `meta`, which is
    // common to every resource rather than part of a schema.
    let user: Vec<Attr> = USER_ATTRS
        .iter()
        .copied()
        .filter(|a| a.name != "meta")
        .collect();
    let group: Vec<Attr> = GROUP_ATTRS
        .iter()
        .copied()
        .filter(|a| a.name != "meta")
        .collect();
    vec![
        schema_doc(base, USER_URN, "User", "A Genesys Cloud user.", &user),
        schema_doc(base, GROUP_URN, "Group", "A Genesys Cloud group.", &group),
        schema_doc(
            base,
            ENTERPRISE_URN,
            "EnterpriseUser",
            "Enterprise attributes of a user.",
            &ENTERPRISE_ATTRS,
        ),
        schema_doc(
            base,
            GENESYS_URN,
            "GenesysUser",
            "Genesys Cloud specific attributes of a user.",
            &GENESYS_ATTRS,
        ),
        schema_doc(
            base,
            SPC_URN,
            "Service Provider Configuration",
            "Which optional SCIM features the service supports.",
            &SPC_ATTRS,
        ),
        schema_doc(
            base,
            RESOURCE_TYPE_URN,
            "ResourceType",
            "Describes a kind of resource the service offers.",
            &RESOURCE_TYPE_ATTRS,
        ),
        schema_doc(
            base,
            SCHEMA_URN,
            "Schema",
            "Describes the attributes of a schema.",
            &SCHEMA_ATTRS,
        ),
    ]
}

/// All resource type documents. `base` ends with a slash.
pub(crate) fn resource_types(base: &str) -> Vec<Value> {
    let rt = |id: &str, endpoint: &str, schema: &str, description: &str, ext: Value| {
        json!({
            "schemas": [RESOURCE_TYPE_URN],
            "id": id,
            "name": id,
            "description": description,
            "endpoint": endpoint,
            "schema": schema,
            "schemaExtensions": ext,
            "meta": {
                "resourceType": "ResourceType",
                "location": format!("{base}resourcetypes/{id}"),
            }
        })
    };
    vec![
        rt(
            "User",
            "/users",
            USER_URN,
            "A user account.",
            json!([
                {"schema": ENTERPRISE_URN, "required": false},
                {"schema": GENESYS_URN, "required": false}
            ]),
        ),
        rt(
            "Group",
            "/groups",
            GROUP_URN,
            "A group of users.",
            json!([]),
        ),
        rt(
            "ServiceProviderConfig",
            "/serviceproviderconfig",
            SPC_URN,
            "The service provider configuration.",
            json!([]),
        ),
        rt(
            "ResourceType",
            "/resourcetypes",
            RESOURCE_TYPE_URN,
            "Descriptions of the resource types.",
            json!([]),
        ),
        rt(
            "Schema",
            "/schemas",
            SCHEMA_URN,
            "Descriptions of the schemas.",
            json!([]),
        ),
    ]
}

/// Largest page size; larger `count` values are clamped to it, and the
/// service provider configuration advertises it.
pub(crate) const MAX_COUNT: usize = 100;

/// Fixed version of the service provider configuration document.
pub(crate) const SPC_VERSION: u64 = 1;

/// The service provider configuration document. `base` ends with a slash;
/// `version` is the document's ETag.
pub(crate) fn service_provider_config(base: &str, last_modified: &str, version: &str) -> Value {
    json!({
        "schemas": [SPC_URN],
        "documentationUri": "https://developer.genesys.cloud/",
        "patch": {"supported": true},
        "filter": {"supported": true, "maxResults": MAX_COUNT},
        "etag": {"supported": true},
        "sort": {"supported": false},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "changePassword": {"supported": false},
        "authenticationSchemes": [{
            "name": "OAuth Bearer Token",
            "description": "OAuth 2 client-credentials bearer token sent in the Authorization header.",
            "specUri": "https://tools.ietf.org/html/rfc6750",
            "type": "oauthbearertoken",
            "primary": true
        }],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": format!("{base}serviceproviderconfig"),
            "lastModified": last_modified,
            "version": version,
        }
    })
}
