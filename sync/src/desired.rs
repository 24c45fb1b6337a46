//! The desired state a sync plans toward, and the checks it must pass
//! before anything is read or sent.

use scim_sdk::models::ScimV2User;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a feed wants of one attribute: leave it as it is, set it, or
/// remove it. An empty value is never taken to mean "remove".
///
/// ```
/// use scim_sync::Desired;
/// let title: Desired<String> = Desired::Clear;
/// assert!(title.is_managed());
/// assert_eq!(Desired::from(Some("Lead")), Desired::Set("Lead"));
/// assert_eq!(Desired::<&str>::from(None), Desired::Keep);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Desired<T> {
    /// Not managed: whatever the org holds stays.
    #[default]
    Keep,
    /// This value.
    Set(T),
    /// No value: the attribute is removed.
    Clear,
}

impl<T> Desired<T> {
    /// Whether the feed says anything about the attribute.
    ///
    /// ```
    /// use scim_sync::Desired;
    /// assert!(Desired::<String>::Clear.is_managed());
    /// assert!(!Desired::<String>::Keep.is_managed());
    /// ```
    pub fn is_managed(&self) -> bool {
        !matches!(self, Desired::Keep)
    }

    /// The value to set, if any.
    ///
    /// ```
    /// assert_eq!(scim_sync::Desired::Set(3).as_set(), Some(&3));
    /// ```
    pub fn as_set(&self) -> Option<&T> {
        match self {
            Desired::Set(v) => Some(v),
            _ => None,
        }
    }
}

impl<T> From<Option<T>> for Desired<T> {
    /// `None` keeps, `Some` sets.
    fn from(value: Option<T>) -> Self {
        value.map_or(Desired::Keep, Desired::Set)
    }
}

/// An attribute a feed typically manages, with the wire attribute it
/// stands for (see [`Field::attribute`]).
///
/// ```
/// use scim_sync::{Attribute, Field};
/// assert_eq!(Field::Department.attribute(), Attribute::enterprise("department"));
/// assert_eq!(Field::WorkEmail.attribute().path(), r#"emails[type eq "work"].value"#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Field {
    /// `displayName`.
    DisplayName,
    /// `externalId`.
    ExternalId,
    /// `title`.
    Title,
    /// The enterprise extension's `department`.
    Department,
    /// The enterprise extension's `division`.
    Division,
    /// The enterprise extension's `employeeNumber`.
    EmployeeNumber,
    /// The work email's address.
    WorkEmail,
    /// The work phone's number.
    WorkPhone,
    /// The number of the phone of another type.
    Phone(PhoneKind),
    /// The enterprise extension's `dateHire` (YYYY-MM-DD).
    DateHire,
    /// The `roles`, by `value`. Like the other list fields, the whole list
    /// is compared and replaced; [`DesiredUser::set`] with a value sets a
    /// list of one.
    Roles,
    /// The Genesys extension's `routingSkills`.
    RoutingSkills,
    /// The Genesys extension's `routingLanguages`.
    RoutingLanguages,
    /// The Genesys extension's `externalIds` (`authority:value` when set
    /// with [`DesiredUser::set`]). The entry Genesys keeps for itself
    /// (authority `x-pc:scimv2:v1…`) is never written or removed.
    GenesysExternalIds,
}

/// The phone types other than `work` (that one is [`Field::WorkPhone`]).
///
/// ```
/// use scim_sync::{Field, PhoneKind};
/// let mobile = Field::Phone(PhoneKind::Mobile);
/// # let _ = mobile;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
#[allow(missing_docs)]
pub enum PhoneKind {
    Work2,
    Work3,
    Work4,
    Home,
    Mobile,
    Other,
    MicrosoftTeams,
    ZoomPhone,
    EightByEight,
    RingCentral,
}

impl PhoneKind {
    /// Every kind, in the order of the Genesys phone type list.
    ///
    /// ```
    /// assert!(scim_sync::PhoneKind::ALL.contains(&scim_sync::PhoneKind::Home));
    /// ```
    pub const ALL: [PhoneKind; 10] = [
        PhoneKind::Work2,
        PhoneKind::Work3,
        PhoneKind::Work4,
        PhoneKind::Home,
        PhoneKind::Mobile,
        PhoneKind::Other,
        PhoneKind::MicrosoftTeams,
        PhoneKind::ZoomPhone,
        PhoneKind::EightByEight,
        PhoneKind::RingCentral,
    ];

    /// The phone `type` on the wire.
    ///
    /// ```
    /// assert_eq!(scim_sync::PhoneKind::MicrosoftTeams.as_str(), "microsoftteams");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            PhoneKind::Work2 => "work2",
            PhoneKind::Work3 => "work3",
            PhoneKind::Work4 => "work4",
            PhoneKind::Home => "home",
            PhoneKind::Mobile => "mobile",
            PhoneKind::Other => "other",
            PhoneKind::MicrosoftTeams => "microsoftteams",
            PhoneKind::ZoomPhone => "zoomphone",
            PhoneKind::EightByEight => "eightbyeight",
            PhoneKind::RingCentral => "ringcentral",
        }
    }

    /// The SDK's phone type.
    ///
    /// ```
    /// use scim_sdk::models::ScimPhoneNumberType;
    /// assert_eq!(scim_sync::PhoneKind::Home.phone_type(), ScimPhoneNumberType::Home);
    /// ```
    pub fn phone_type(self) -> scim_sdk::models::ScimPhoneNumberType {
        use scim_sdk::models::ScimPhoneNumberType as T;
        match self {
            PhoneKind::Work2 => T::Work2,
            PhoneKind::Work3 => T::Work3,
            PhoneKind::Work4 => T::Work4,
            PhoneKind::Home => T::Home,
            PhoneKind::Mobile => T::Mobile,
            PhoneKind::Other => T::Other,
            PhoneKind::MicrosoftTeams => T::Microsoftteams,
            PhoneKind::ZoomPhone => T::Zoomphone,
            PhoneKind::EightByEight => T::Eightbyeight,
            PhoneKind::RingCentral => T::Ringcentral,
        }
    }
}

impl Field {
    /// The attribute on the wire.
    ///
    /// ```
    /// assert_eq!(scim_sync::Field::Title.attribute().path(), "title");
    /// ```
    pub fn attribute(self) -> crate::Attribute {
        use crate::Attribute;
        let typed = |name: &str, kind: &str| Attribute::Typed {
            name: name.into(),
            kind: kind.into(),
            field: Some("value".into()),
        };
        let genesys = |name: &str| Attribute::Extension {
            schema: scim_sdk::schemas::GENESYS_USER.to_owned(),
            name: name.into(),
        };
        match self {
            Field::DisplayName => Attribute::Core("displayName".into()),
            Field::ExternalId => Attribute::Core("externalId".into()),
            Field::Title => Attribute::Core("title".into()),
            Field::Department => Attribute::enterprise("department"),
            Field::Division => Attribute::enterprise("division"),
            Field::EmployeeNumber => Attribute::enterprise("employeeNumber"),
            Field::WorkEmail => typed("emails", "work"),
            Field::WorkPhone => typed("phoneNumbers", "work"),
            Field::Phone(kind) => typed("phoneNumbers", kind.as_str()),
            Field::DateHire => Attribute::enterprise("dateHire"),
            Field::Roles => Attribute::Core("roles".into()),
            Field::RoutingSkills => genesys("routingSkills"),
            Field::RoutingLanguages => genesys("routingLanguages"),
            Field::GenesysExternalIds => genesys("externalIds"),
        }
    }

    /// Writes `value` into the model; an empty value is the diff's "remove".
    fn write(self, mut user: ScimV2User, value: &str) -> ScimV2User {
        use scim_sdk::models::{
            ScimGenesysUserExternalId, ScimPhoneNumberType, ScimUserExtensions, ScimUserRole,
            ScimUserRoutingLanguage, ScimUserRoutingSkill, ScimV2EnterpriseUser,
        };
        // A list field: empty for "remove", else a list of one.
        fn one<T>(value: &str, make: impl FnOnce(&str) -> T) -> Vec<T> {
            if value.is_empty() {
                Vec::new()
            } else {
                vec![make(value)]
            }
        }
        fn genesys(user: &mut ScimV2User) -> &mut ScimUserExtensions {
            user.genesys_user
                .get_or_insert_with(ScimUserExtensions::new)
        }
        match self {
            Field::Phone(kind) => user.with_phone(kind.phone_type(), value),
            Field::DateHire => {
                user.enterprise_user
                    .get_or_insert_with(ScimV2EnterpriseUser::new)
                    .date_hire = Some(value.to_owned());
                user
            }
            Field::Roles => user.with_roles(one(value, |v| ScimUserRole::new().with_value(v))),
            Field::RoutingSkills => {
                genesys(&mut user).routing_skills =
                    Some(one(value, |v| ScimUserRoutingSkill::new(v)));
                user
            }
            Field::RoutingLanguages => {
                genesys(&mut user).routing_languages =
                    Some(one(value, |v| ScimUserRoutingLanguage::new(v)));
                user
            }
            Field::GenesysExternalIds => {
                genesys(&mut user).external_ids = Some(one(value, |v| {
                    let (authority, id) = v.split_once(':').unwrap_or((v, ""));
                    ScimGenesysUserExternalId::new(authority, id)
                }));
                user
            }
            Field::DisplayName => user.with_display_name(value),
            Field::ExternalId => user.with_external_id(value),
            Field::Title => user.with_title(value),
            Field::Department => user.with_department(value),
            Field::Division => user.with_division(value),
            Field::EmployeeNumber => user.with_employee_number(value),
            Field::WorkEmail => user.with_work_email(value),
            Field::WorkPhone => user.with_phone(ScimPhoneNumberType::Work, value),
        }
    }
}

/// One user as the feed (an HR export, an identity provider) wants it.
///
/// - `user` holds the attributes to set, on the SDK's model: an attribute
///   left `None`, or empty, is not managed and never touched. `active`
///   left unset means active.
/// - [`set`](Self::set) says, field by field, to keep, set or remove
///   ([`Desired::Clear`]) an attribute; removing is only ever asked this
///   way.
/// - The manager is named by `userName`, because the feed does not know
///   Genesys ids: the engine resolves it against the org and the feed, and
///   creates managers before their reports.
/// - `source` says where the row came from (`FILE:LINE` as an editor
///   shows it, say): refusals and warnings about the row name it.
/// - `groups` manages the user's group memberships, by group name:
///   [`Desired::Keep`] leaves them alone, a list makes the user a member of
///   exactly those groups, [`Desired::Clear`] (or an empty list) of none.
///   This suits feeds that list each person's groups; [`Memberships`] suits
///   feeds that list each group's members.
///
/// ```
/// use scim_sdk::models::ScimV2User;
/// use scim_sync::{Desired, DesiredUser, Field};
///
/// let jane = DesiredUser::new(
///     ScimV2User::new()
///         .with_user_name("jane@example.com")
///         .with_display_name("Jane Doe")
///         .with_external_id("E-1007")
///         .with_department("Care"),
/// )
/// .set(Field::Title, Desired::Clear) // remove the title
/// .with_manager("boss@example.com")
/// .with_source("hr.csv:13");
/// assert_eq!(jane.manager, Desired::Set("boss@example.com".to_owned()));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DesiredUser {
    /// The attributes to set.
    pub user: ScimV2User,
    /// The attributes to remove.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clear: Vec<Field>,
    /// The manager, by `userName`.
    #[serde(default, skip_serializing_if = "is_keep")]
    pub manager: Desired<String>,
    /// The names of the groups the user belongs to.
    #[serde(default, skip_serializing_if = "is_keep")]
    pub groups: Desired<Vec<String>>,
    /// Where the row came from, as a person finds it: `FILE:LINE` as an
    /// editor shows it, `FILE:SHEET!ROW` in a workbook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

fn is_keep<T>(d: &Desired<T>) -> bool {
    !d.is_managed()
}

impl DesiredUser {
    /// A desired user setting what `user` sets, and managing nothing else.
    ///
    /// ```
    /// let d = scim_sync::DesiredUser::new(scim_sdk::models::ScimV2User::new().with_user_name("a@b.c"));
    /// assert_eq!(d.user_name(), "a@b.c");
    /// ```
    pub fn new(user: ScimV2User) -> Self {
        Self {
            user,
            ..Self::default()
        }
    }

    /// Keeps, sets or removes one field.
    ///
    /// ```
    /// use scim_sdk::models::ScimV2User;
    /// use scim_sync::{Desired, DesiredUser, Field};
    /// let d = DesiredUser::new(ScimV2User::new().with_title("Agent"))
    ///     .set(Field::Title, Desired::Clear)
    ///     .set(Field::Department, Desired::Set("Care".into()));
    /// assert_eq!(d.user.title, None);
    /// assert_eq!(d.user.department(), Some("Care"));
    /// assert_eq!(d.clear, [Field::Title]);
    /// ```
    #[must_use]
    pub fn set(mut self, field: Field, desired: Desired<String>) -> Self {
        self.clear.retain(|f| *f != field);
        // Start from the field unset: an empty value there means "keep".
        self.user = prune_empty(field.write(self.user, ""));
        match desired {
            Desired::Keep => {}
            Desired::Set(value) => self.user = field.write(self.user, &value),
            Desired::Clear => self.clear.push(field),
        }
        self
    }

    /// Names the manager by `userName`.
    ///
    /// ```
    /// use scim_sdk::models::ScimV2User;
    /// use scim_sync::{Desired, DesiredUser};
    /// let d = DesiredUser::new(ScimV2User::new()).with_manager("boss@b.c");
    /// assert_eq!(d.manager, Desired::Set("boss@b.c".to_owned()));
    /// ```
    #[must_use]
    pub fn with_manager(mut self, user_name: impl Into<String>) -> Self {
        self.manager = Desired::Set(user_name.into());
        self
    }

    /// Says where the row came from (`FILE:LINE` as an editor shows it, or
    /// `FILE:SHEET!ROW`): the plan's refusals, warnings and decisions
    /// about the row name it.
    ///
    /// ```
    /// use scim_sdk::models::ScimV2User;
    /// let d = scim_sync::DesiredUser::new(ScimV2User::new()).with_source("hr.csv:13");
    /// assert_eq!(d.source.as_deref(), Some("hr.csv:13"));
    /// ```
    #[must_use]
    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The row as a refusal names it: its source, else its position in
    /// the feed (from 1), with its userName: `hr.csv:13 (jane@x.test)`.
    pub(crate) fn named(&self, position: usize) -> String {
        let user_name = self.user_name();
        let at = self.place(position);
        if user_name.is_empty() {
            at
        } else {
            format!("{at} ({user_name})")
        }
    }

    /// Where the row is: its source, else `#POSITION` (from 1).
    pub(crate) fn place(&self, position: usize) -> String {
        match self.source.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => s.to_owned(),
            _ => format!("#{position}"),
        }
    }

    /// Makes the user a member of exactly these groups, by display name,
    /// and of no other (none for an empty list). Only in-scope users'
    /// memberships change.
    ///
    /// ```
    /// use scim_sdk::models::ScimV2User;
    /// use scim_sync::{Desired, DesiredUser};
    /// let d = DesiredUser::new(ScimV2User::new().with_user_name("a@b.c")).with_groups(["Sales", "Support"]);
    /// assert_eq!(d.groups, Desired::Set(vec!["Sales".to_owned(), "Support".to_owned()]));
    /// ```
    #[must_use]
    pub fn with_groups<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.groups = Desired::Set(names.into_iter().map(Into::into).collect());
        self
    }

    /// The group names the feed gives for this user: `None` when it leaves
    /// the memberships alone, an empty list for none.
    pub(crate) fn group_names(&self) -> Option<&[String]> {
        match &self.groups {
            Desired::Keep => None,
            Desired::Set(names) => Some(names),
            Desired::Clear => Some(&[]),
        }
    }

    /// The `userName` without surrounding spaces, or `""` when missing:
    /// the form the engine matches, plans and creates with.
    ///
    /// ```
    /// use scim_sdk::models::ScimV2User;
    /// assert_eq!(scim_sync::DesiredUser::default().user_name(), "");
    /// let d = scim_sync::DesiredUser::new(ScimV2User::new().with_user_name(" a@x.com "));
    /// assert_eq!(d.user_name(), "a@x.com");
    /// ```
    pub fn user_name(&self) -> &str {
        self.user.user_name.as_deref().unwrap_or_default().trim()
    }

    /// The desired model in the diff's terms: what `user` sets, without
    /// empty values (they mean "keep" here), and an empty value for each
    /// field to remove (the diff's "remove").
    pub(crate) fn model(&self) -> ScimV2User {
        let mut user = prune_empty(self.user.clone());
        user.user_name = Some(self.user_name().to_owned());
        for field in &self.clear {
            user = field.write(user, "");
        }
        user
    }
}

/// The model without empty strings, lists and objects: what a desired user
/// leaves empty is not managed.
fn prune_empty(user: ScimV2User) -> ScimV2User {
    fn prune(value: &mut serde_json::Value) -> bool {
        use serde_json::Value;
        match value {
            Value::Null => false,
            Value::String(s) => !s.is_empty(),
            Value::Array(items) => {
                // An element whose value is empty (a work email of "") is no element.
                items.retain_mut(|item| item.get("value") != Some(&Value::from("")) && prune(item));
                !items.is_empty()
            }
            Value::Object(map) => {
                map.retain(|_, v| prune(v));
                !map.is_empty()
            }
            _ => true,
        }
    }
    let Ok(mut value) = serde_json::to_value(&user) else {
        return user;
    };
    prune(&mut value);
    serde_json::from_value(value).unwrap_or(user)
}

impl From<ScimV2User> for DesiredUser {
    /// ```
    /// let d: scim_sync::DesiredUser = scim_sdk::models::ScimV2User::new().into();
    /// assert_eq!(d.manager, scim_sync::Desired::Keep);
    /// ```
    fn from(user: ScimV2User) -> Self {
        Self::new(user)
    }
}

/// Desired group memberships: group display name → member `userName`s.
///
/// Only the groups named here are touched, and in them only in-scope users
/// are added or removed. For a feed that lists each person's groups, use
/// [`DesiredUser::with_groups`] instead: it leaves alone the people whose
/// groups the feed does not give.
///
/// ```
/// let mut memberships = scim_sync::Memberships::new();
/// memberships.entry("Sales".into()).or_default().push("jane@example.com".into());
/// # let _ = memberships;
/// ```
pub type Memberships = BTreeMap<String, Vec<String>>;
