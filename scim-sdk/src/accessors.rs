//! Hand-written conveniences on the generated user and group models: read
//! accessors for the attributes a sync touches, builders for the common
//! ones, and conversions between the create body and the resource.
//!
//! The generated models mirror the wire: every attribute is an `Option`,
//! emails and phones are lists keyed by `type`, and extension attributes sit
//! one object deeper. These methods walk that shape once, here.

use crate::models::{
    Manager, ScimEmail, ScimEmailType, ScimGenesysUserExternalId, ScimPhoneNumber,
    ScimPhoneNumberType, ScimUserExtensions, ScimUserRoutingLanguage, ScimUserRoutingSkill,
    ScimV2CreateUser, ScimV2EnterpriseUser, ScimV2Group, ScimV2User,
};

/// Read accessors and builders shared by [`ScimV2User`] and [`ScimV2CreateUser`],
/// which have the same attributes apart from `id` and `meta`.
macro_rules! user_accessors {
    ($model:ident, $example:literal) => {
        impl $model {
            /// The address of the email of `type` `work`.
            ///
            /// ```
            #[doc = $example]
            /// assert_eq!(user.work_email(), Some("jane@example.com"));
            /// ```
            pub fn work_email(&self) -> Option<&str> {
                self.email(&ScimEmailType::Work)
            }

            /// The address of the first email of this `type`.
            ///
            /// ```
            #[doc = $example]
            /// use scim_sdk::models::ScimEmailType;
            /// assert_eq!(user.email(&ScimEmailType::Other), None);
            /// ```
            pub fn email(&self, kind: &ScimEmailType) -> Option<&str> {
                self.emails
                    .as_deref()?
                    .iter()
                    .find(|e| e.type_.as_ref() == Some(kind))?
                    .value
                    .as_deref()
            }

            /// The email marked `primary`, else the first email.
            ///
            /// ```
            #[doc = $example]
            /// assert_eq!(user.primary_email(), Some("jane@example.com"));
            /// ```
            pub fn primary_email(&self) -> Option<&str> {
                let emails = self.emails.as_deref()?;
                emails
                    .iter()
                    .find(|e| e.primary == Some(true))
                    .or_else(|| emails.first())?
                    .value
                    .as_deref()
            }

            /// The number of the first phone of this `type`.
            ///
            /// ```
            #[doc = $example]
            /// use scim_sdk::models::ScimPhoneNumberType;
            /// assert_eq!(user.phone(&ScimPhoneNumberType::Work), Some("+3531234567"));
            /// assert_eq!(user.phone(&ScimPhoneNumberType::Mobile), None);
            /// ```
            pub fn phone(&self, kind: &ScimPhoneNumberType) -> Option<&str> {
                self.phone_numbers
                    .as_deref()?
                    .iter()
                    .find(|p| p.type_.as_ref() == Some(kind))?
                    .value
                    .as_deref()
            }

            /// The enterprise extension's `department`.
            ///
            /// ```
            #[doc = $example]
            /// assert_eq!(user.department(), Some("Care"));
            /// ```
            pub fn department(&self) -> Option<&str> {
                self.enterprise_user.as_ref()?.department.as_deref()
            }

            /// The enterprise extension's `division` (a Genesys division name).
            ///
            /// ```
            #[doc = $example]
            /// assert_eq!(user.division(), Some("Home"));
            /// ```
            pub fn division(&self) -> Option<&str> {
                self.enterprise_user.as_ref()?.division.as_deref()
            }

            /// The enterprise extension's `employeeNumber`.
            ///
            /// ```
            #[doc = $example]
            /// assert_eq!(user.employee_number(), Some("E-7"));
            /// ```
            pub fn employee_number(&self) -> Option<&str> {
                self.enterprise_user.as_ref()?.employee_number.as_deref()
            }

            /// The enterprise extension's `dateHire`, as Genesys writes it
            /// (`YYYY-MM-DD`).
            ///
            /// ```
            #[doc = $example]
            /// assert_eq!(user.date_hire(), Some("2024-03-01"));
            /// ```
            pub fn date_hire(&self) -> Option<&str> {
                self.enterprise_user.as_ref()?.date_hire.as_deref()
            }

            /// The id of the user's manager (the enterprise extension's `manager.value`).
            ///
            /// ```
            #[doc = $example]
            /// assert_eq!(user.manager_id(), Some("boss-id"));
            /// ```
            pub fn manager_id(&self) -> Option<&str> {
                self.enterprise_user
                    .as_ref()?
                    .manager
                    .as_ref()?
                    .value
                    .as_deref()
            }

            /// The Genesys extension's routing skills (empty when there are none).
            ///
            /// ```
            #[doc = $example]
            /// assert!(user.routing_skills().is_empty());
            /// ```
            pub fn routing_skills(&self) -> &[ScimUserRoutingSkill] {
                self.genesys_user
                    .as_ref()
                    .and_then(|g| g.routing_skills.as_deref())
                    .unwrap_or_default()
            }

            /// The Genesys extension's routing languages (empty when there are none).
            ///
            /// ```
            #[doc = $example]
            /// assert!(user.routing_languages().is_empty());
            /// ```
            pub fn routing_languages(&self) -> &[ScimUserRoutingLanguage] {
                self.genesys_user
                    .as_ref()
                    .and_then(|g| g.routing_languages.as_deref())
                    .unwrap_or_default()
            }

            /// The Genesys extension's external ids, by authority (empty when there are none).
            ///
            /// ```
            #[doc = $example]
            /// assert_eq!(user.external_ids().len(), 1);
            /// ```
            pub fn external_ids(&self) -> &[ScimGenesysUserExternalId] {
                self.genesys_user
                    .as_ref()
                    .and_then(|g| g.external_ids.as_deref())
                    .unwrap_or_default()
            }

            /// The Genesys external id issued by `authority`.
            ///
            /// ```
            #[doc = $example]
            /// assert_eq!(user.external_id_of("hr"), Some("E-7"));
            /// ```
            pub fn external_id_of(&self, authority: &str) -> Option<&str> {
                self.external_ids()
                    .iter()
                    .find(|x| x.authority.as_deref() == Some(authority))?
                    .value
                    .as_deref()
            }

            /// Whether the user is active; an absent `active` counts as
            /// active, as Genesys treats it.
            ///
            /// ```
            #[doc = $example]
            /// assert!(user.is_active());
            /// ```
            pub fn is_active(&self) -> bool {
                self.active != Some(false)
            }

            /// Sets the email of `type` `work`, replacing an existing one, and
            /// returns `self`.
            ///
            /// ```
            #[doc = $example]
            /// let user = user.with_work_email("jane.doe@example.com");
            /// assert_eq!(user.work_email(), Some("jane.doe@example.com"));
            /// ```
            #[must_use]
            pub fn with_work_email(mut self, address: impl Into<String>) -> Self {
                let emails = self.emails.get_or_insert_with(Vec::new);
                let address = address.into();
                match emails
                    .iter_mut()
                    .find(|e| e.type_ == Some(ScimEmailType::Work))
                {
                    Some(e) => e.value = Some(address),
                    None => emails.push(
                        ScimEmail::new()
                            .with_type(ScimEmailType::Work)
                            .with_value(address),
                    ),
                }
                self
            }

            /// Sets the phone of this `type`, replacing an existing one, and
            /// returns `self`.
            ///
            /// ```
            #[doc = $example]
            /// use scim_sdk::models::ScimPhoneNumberType;
            /// let user = user.with_phone(ScimPhoneNumberType::Mobile, "+353870000000");
            /// assert_eq!(user.phone(&ScimPhoneNumberType::Mobile), Some("+353870000000"));
            /// ```
            #[must_use]
            pub fn with_phone(
                mut self,
                kind: ScimPhoneNumberType,
                number: impl Into<String>,
            ) -> Self {
                let phones = self.phone_numbers.get_or_insert_with(Vec::new);
                let number = number.into();
                match phones.iter_mut().find(|p| p.type_.as_ref() == Some(&kind)) {
                    Some(p) => p.value = Some(number),
                    None => phones.push(ScimPhoneNumber::new().with_type(kind).with_value(number)),
                }
                self
            }

            /// Sets the enterprise `department` and returns `self`.
            ///
            /// ```
            #[doc = $example]
            /// assert_eq!(user.with_department("Sales").department(), Some("Sales"));
            /// ```
            #[must_use]
            pub fn with_department(mut self, department: impl Into<String>) -> Self {
                self.enterprise().department = Some(department.into());
                self
            }

            /// Sets the enterprise `division` and returns `self`.
            ///
            /// ```
            #[doc = $example]
            /// assert_eq!(user.with_division("Away").division(), Some("Away"));
            /// ```
            #[must_use]
            pub fn with_division(mut self, division: impl Into<String>) -> Self {
                self.enterprise().division = Some(division.into());
                self
            }

            /// Sets the enterprise `employeeNumber` and returns `self`.
            ///
            /// ```
            #[doc = $example]
            /// assert_eq!(user.with_employee_number("E-8").employee_number(), Some("E-8"));
            /// ```
            #[must_use]
            pub fn with_employee_number(mut self, number: impl Into<String>) -> Self {
                self.enterprise().employee_number = Some(number.into());
                self
            }

            /// Sets the enterprise `dateHire` and returns `self`. Genesys
            /// takes the date as `YYYY-MM-DD` and refuses other shapes.
            ///
            /// ```
            #[doc = $example]
            /// let user = user.with_date_hire("2025-01-15");
            /// assert_eq!(user.date_hire(), Some("2025-01-15"));
            /// assert_eq!(user.department(), Some("Care"), "the rest of the extension is kept");
            /// ```
            #[must_use]
            pub fn with_date_hire(mut self, date: impl Into<String>) -> Self {
                self.enterprise().date_hire = Some(date.into());
                self
            }

            /// Sets the enterprise `manager` to the user with this id and returns `self`.
            ///
            /// ```
            #[doc = $example]
            /// assert_eq!(user.with_manager_id("new-boss").manager_id(), Some("new-boss"));
            /// ```
            #[must_use]
            pub fn with_manager_id(mut self, id: impl Into<String>) -> Self {
                self.enterprise().manager = Some(Manager::new().with_value(id));
                self
            }

            /// Adds (or replaces) the Genesys external id of `authority` and returns `self`.
            ///
            /// ```
            #[doc = $example]
            /// let user = user.with_external_id_of("badge", "B-1");
            /// assert_eq!(user.external_id_of("badge"), Some("B-1"));
            /// assert_eq!(user.external_id_of("hr"), Some("E-7"));
            /// ```
            #[must_use]
            pub fn with_external_id_of(
                mut self,
                authority: impl Into<String>,
                value: impl Into<String>,
            ) -> Self {
                let authority = authority.into();
                let ids = self
                    .genesys_user
                    .get_or_insert_with(ScimUserExtensions::new)
                    .external_ids
                    .get_or_insert_with(Vec::new);
                ids.retain(|x| x.authority.as_deref() != Some(authority.as_str()));
                ids.push(ScimGenesysUserExternalId::new(authority, value));
                self
            }

            fn enterprise(&mut self) -> &mut ScimV2EnterpriseUser {
                self.enterprise_user
                    .get_or_insert_with(ScimV2EnterpriseUser::new)
            }
        }
    };
}

user_accessors!(
    ScimV2User,
    "# let user = scim_sdk::models::ScimV2User::new().with_work_email(\"jane@example.com\")
# .with_phone(scim_sdk::models::ScimPhoneNumberType::Work, \"+3531234567\")
# .with_department(\"Care\").with_division(\"Home\").with_employee_number(\"E-7\")
# .with_manager_id(\"boss-id\").with_external_id_of(\"hr\", \"E-7\")
# .with_date_hire(\"2024-03-01\");"
);
user_accessors!(
    ScimV2CreateUser,
    "# let user = scim_sdk::models::ScimV2CreateUser::new(\"jane@example.com\", \"Jane\")
# .with_work_email(\"jane@example.com\")
# .with_phone(scim_sdk::models::ScimPhoneNumberType::Work, \"+3531234567\")
# .with_department(\"Care\").with_division(\"Home\").with_employee_number(\"E-7\")
# .with_manager_id(\"boss-id\").with_external_id_of(\"hr\", \"E-7\")
# .with_date_hire(\"2024-03-01\");"
);

impl ScimV2User {
    /// The resource's version (`meta.version`, e.g. `"3"` with its quotes):
    /// the value to send as `If-Match`. List items carry it too, so a page
    /// of users needs no extra GET per user before a guarded write.
    ///
    /// ```
    /// use scim_sdk::models::{ScimMetadata, ScimV2User};
    /// // Read-only attributes come from the server; set here by hand for the example.
    /// let mut user = ScimV2User::new();
    /// user.meta = Some(ScimMetadata::new().with_version("\"3\""));
    /// assert_eq!(user.version(), Some("\"3\""));
    /// ```
    pub fn version(&self) -> Option<&str> {
        self.meta.as_ref()?.version.as_deref()
    }

    /// The ids of the groups the user belongs to (read-only; change
    /// membership through the group).
    ///
    /// ```
    /// use scim_sdk::models::{ScimV2GroupReference, ScimV2User};
    /// let mut user = ScimV2User::new();
    /// user.groups = Some(vec![ScimV2GroupReference::new().with_value("g-1")]);
    /// assert_eq!(user.group_ids().collect::<Vec<_>>(), ["g-1"]);
    /// ```
    pub fn group_ids(&self) -> impl Iterator<Item = &str> {
        self.groups
            .iter()
            .flatten()
            .filter_map(|g| g.value.as_deref())
    }
}

impl ScimV2Group {
    /// The group's version (`meta.version`), to send as `If-Match`.
    ///
    /// ```
    /// use scim_sdk::models::{ScimMetadata, ScimV2Group};
    /// let mut group = ScimV2Group::new("Sales");
    /// group.meta = Some(ScimMetadata::new().with_version("\"9\""));
    /// assert_eq!(group.version(), Some("\"9\""));
    /// ```
    pub fn version(&self) -> Option<&str> {
        self.meta.as_ref()?.version.as_deref()
    }

    /// The user ids of the group's members.
    ///
    /// ```
    /// use scim_sdk::models::{ScimV2Group, ScimV2MemberReference};
    /// let group = ScimV2Group::new("Sales")
    ///     .with_members(vec![ScimV2MemberReference::new().with_value("u-1")]);
    /// assert_eq!(group.member_ids().collect::<Vec<_>>(), ["u-1"]);
    /// assert!(group.has_member("u-1"));
    /// ```
    pub fn member_ids(&self) -> impl Iterator<Item = &str> {
        self.members
            .iter()
            .flatten()
            .filter_map(|m| m.value.as_deref())
    }

    /// Whether the user with this id is a member.
    ///
    /// ```
    /// assert!(!scim_sdk::models::ScimV2Group::new("Sales").has_member("u-1"));
    /// ```
    pub fn has_member(&self, user_id: &str) -> bool {
        self.member_ids().any(|m| m == user_id)
    }
}

/// A create body from a resource, e.g. to re-create a deleted user from a
/// backup. `id`, `meta` and `groups` are read-only and left out; everything
/// else, unknown attributes included, is kept.
///
/// ```
/// use scim_sdk::models::{ScimV2CreateUser, ScimV2User};
/// let read = ScimV2User::new().with_user_name("jane@example.com").with_title("Agent");
/// let body = ScimV2CreateUser::from(read);
/// assert_eq!(body.title.as_deref(), Some("Agent"));
/// ```
impl From<ScimV2User> for ScimV2CreateUser {
    fn from(user: ScimV2User) -> Self {
        Self {
            schemas: user.schemas,
            active: user.active,
            user_name: user.user_name,
            display_name: user.display_name,
            password: user.password,
            title: user.title,
            phone_numbers: user.phone_numbers,
            emails: user.emails,
            external_id: user.external_id,
            groups: None,
            roles: user.roles,
            enterprise_user: user.enterprise_user,
            genesys_user: user.genesys_user,
            additional_properties: user.additional_properties,
        }
    }
}

/// The resource a create body describes, before the server assigned `id`
/// and `meta`: for diffing a desired user against the one that exists.
///
/// ```
/// use scim_sdk::models::{ScimV2CreateUser, ScimV2User};
/// let desired = ScimV2User::from(ScimV2CreateUser::new("jane@example.com", "Jane Doe"));
/// assert_eq!(desired.user_name.as_deref(), Some("jane@example.com"));
/// assert_eq!(desired.id, None);
/// ```
impl From<ScimV2CreateUser> for ScimV2User {
    fn from(user: ScimV2CreateUser) -> Self {
        Self {
            id: None,
            schemas: user.schemas,
            active: user.active,
            user_name: user.user_name,
            display_name: user.display_name,
            password: user.password,
            title: user.title,
            phone_numbers: user.phone_numbers,
            emails: user.emails,
            external_id: user.external_id,
            groups: user.groups,
            roles: user.roles,
            enterprise_user: user.enterprise_user,
            genesys_user: user.genesys_user,
            meta: None,
            additional_properties: user.additional_properties,
        }
    }
}
