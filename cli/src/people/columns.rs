//! The columns of a people file: one entry each, in the order `export`
//! writes them. An entry names the column and says what kind of value it
//! holds; the kind says how a cell is checked, how it is read from a
//! `ScimV2User` for an export, and how it fills the desired state. Adding
//! a column is adding an entry (and its test, below).

use scim_sdk::models::{
    ScimGenesysUserExternalId, ScimUserExtensions, ScimUserRole, ScimUserRoutingLanguage,
    ScimUserRoutingSkill, ScimV2User,
};
use scim_sync::{Desired, DesiredUser, Field, PhoneKind};
use std::cmp::Ordering;
use std::fmt;

/// What a column holds.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// The login; required.
    UserName,
    /// `true` or `false`.
    Active,
    /// The manager's `userName`.
    Manager,
    /// Group names, `;`-separated.
    Groups,
    /// A single text attribute.
    Text {
        field: Field,
        read: fn(&ScimV2User) -> Option<&str>,
    },
    /// The work email: text that must look like an address.
    Email,
    /// A date, YYYY-MM-DD.
    Date(Field),
    /// The number of a phone of one type (the work phone is [`Kind::Text`]).
    Phone(PhoneKind),
    /// Role names, `a;b`.
    Roles,
    /// Routing skills, `Name:proficiency;…`.
    Skills,
    /// Routing languages, `Name:proficiency;…`.
    Languages,
    /// External ids, `authority:value;…`.
    ExternalIds,
}

/// One column: its header name and what it holds.
#[derive(Debug)]
pub struct Def {
    pub name: &'static str,
    pub kind: Kind,
}

const fn text(name: &'static str, field: Field, read: fn(&ScimV2User) -> Option<&str>) -> Def {
    Def {
        name,
        kind: Kind::Text { field, read },
    }
}

const fn phone(name: &'static str, kind: PhoneKind) -> Def {
    Def {
        name,
        kind: Kind::Phone(kind),
    }
}

/// Every column, in export order.
pub const COLUMNS: &[Def] = &[
    Def {
        name: "userName",
        kind: Kind::UserName,
    },
    text("displayName", Field::DisplayName, |u| {
        u.display_name.as_deref()
    }),
    text("externalId", Field::ExternalId, |u| {
        u.external_id.as_deref()
    }),
    Def {
        name: "active",
        kind: Kind::Active,
    },
    text("title", Field::Title, |u| u.title.as_deref()),
    text("department", Field::Department, ScimV2User::department),
    text("division", Field::Division, ScimV2User::division),
    text(
        "employeeNumber",
        Field::EmployeeNumber,
        ScimV2User::employee_number,
    ),
    Def {
        name: "email",
        kind: Kind::Email,
    },
    text("phone", Field::WorkPhone, |u| {
        u.phone(&scim_sdk::models::ScimPhoneNumberType::Work)
    }),
    Def {
        name: "manager",
        kind: Kind::Manager,
    },
    Def {
        name: "groups",
        kind: Kind::Groups,
    },
    Def {
        name: "dateHire",
        kind: Kind::Date(Field::DateHire),
    },
    Def {
        name: "roles",
        kind: Kind::Roles,
    },
    Def {
        name: "routingSkills",
        kind: Kind::Skills,
    },
    Def {
        name: "routingLanguages",
        kind: Kind::Languages,
    },
    Def {
        name: "externalIds",
        kind: Kind::ExternalIds,
    },
    phone("phone.work2", PhoneKind::Work2),
    phone("phone.work3", PhoneKind::Work3),
    phone("phone.work4", PhoneKind::Work4),
    phone("phone.home", PhoneKind::Home),
    phone("phone.mobile", PhoneKind::Mobile),
    phone("phone.other", PhoneKind::Other),
    phone("phone.microsoftteams", PhoneKind::MicrosoftTeams),
    phone("phone.zoomphone", PhoneKind::ZoomPhone),
    phone("phone.eightbyeight", PhoneKind::EightByEight),
    phone("phone.ringcentral", PhoneKind::RingCentral),
];

/// A column of the table. Columns compare by their place in it.
#[derive(Clone, Copy)]
pub struct Column(&'static Def);

impl Column {
    pub const USER_NAME: Column = Column(&COLUMNS[0]);
    pub const DISPLAY_NAME: Column = Column(&COLUMNS[1]);
    pub const EXTERNAL_ID: Column = Column(&COLUMNS[2]);
    pub const TITLE: Column = Column(&COLUMNS[4]);
    pub const DEPARTMENT: Column = Column(&COLUMNS[5]);
    pub const DIVISION: Column = Column(&COLUMNS[6]);
    pub const EMPLOYEE_NUMBER: Column = Column(&COLUMNS[7]);
    pub const EMAIL: Column = Column(&COLUMNS[8]);
    pub const PHONE: Column = Column(&COLUMNS[9]);
    pub const MANAGER: Column = Column(&COLUMNS[10]);
    pub const GROUPS: Column = Column(&COLUMNS[11]);

    /// Every column, in export order.
    pub fn all() -> impl Iterator<Item = Column> {
        COLUMNS.iter().map(Column)
    }

    /// The header name (and JSON key).
    pub fn name(self) -> &'static str {
        self.0.name
    }

    pub fn kind(self) -> Kind {
        self.0.kind
    }

    /// Finds a column by header name, ignoring case and surrounding spaces:
    /// spreadsheets often capitalise headers.
    pub fn parse(name: &str) -> Option<Column> {
        let name = name.trim();
        Column::all().find(|c| c.name().eq_ignore_ascii_case(name))
    }

    fn position(self) -> usize {
        COLUMNS
            .iter()
            .position(|d| d.name == self.0.name)
            .unwrap_or(usize::MAX)
    }

    /// Whether the column holds a value of the user (not the login, the
    /// active flag, the manager or the groups, which have their own types).
    pub fn is_value(self) -> bool {
        !matches!(
            self.kind(),
            Kind::UserName | Kind::Active | Kind::Manager | Kind::Groups
        )
    }

    /// Checks a cell (already trimmed, neither empty nor the clear marker)
    /// and gives it in the form an export writes, so that what is read and
    /// what is exported compare equal.
    pub fn check(self, cell: &str) -> Result<String, String> {
        match self.kind() {
            Kind::Email if !is_email(cell) => Err(format!("`{cell}` is not an email address")),
            Kind::Date(_) if !is_date(cell) => Err(format!(
                "`{cell}` is not a date as YYYY-MM-DD (such as 2024-03-31)"
            )),
            Kind::Roles => names(cell).map(|n| n.join(";")),
            Kind::Skills | Kind::Languages => proficiencies(cell).map(|list| {
                list.iter()
                    .map(|(n, p)| join_proficiency(n, *p))
                    .collect::<Vec<_>>()
                    .join(";")
            }),
            Kind::ExternalIds => external_ids(cell).map(|ids| {
                ids.iter()
                    .map(|(a, v)| format!("{a}:{v}"))
                    .collect::<Vec<_>>()
                    .join(";")
            }),
            _ => Ok(cell.to_owned()),
        }
    }

    /// The cell an export writes for `user`; `None` for a value it lacks.
    pub fn export(self, user: &ScimV2User) -> Option<String> {
        let value = match self.kind() {
            Kind::Text { read, .. } => read(user).map(str::to_owned),
            Kind::Email => user.work_email().map(str::to_owned),
            Kind::Date(_) => user
                .enterprise_user
                .as_ref()
                .and_then(|e| e.date_hire.clone()),
            Kind::Phone(kind) => user.phone(&kind.phone_type()).map(str::to_owned),
            Kind::Roles => {
                let mut roles: Vec<&str> = user
                    .roles
                    .iter()
                    .flatten()
                    .filter_map(|r| r.value.as_deref())
                    .collect();
                roles.sort_unstable();
                Some(roles.join(";"))
            }
            Kind::Skills => Some(
                user.routing_skills()
                    .iter()
                    .map(|s| join_proficiency(s.name.as_deref().unwrap_or(""), s.proficiency))
                    .collect::<Vec<_>>()
                    .join(";"),
            ),
            Kind::Languages => Some(
                user.routing_languages()
                    .iter()
                    .map(|s| join_proficiency(s.name.as_deref().unwrap_or(""), s.proficiency))
                    .collect::<Vec<_>>()
                    .join(";"),
            ),
            Kind::ExternalIds => Some(
                user.external_ids()
                    .iter()
                    .filter(|x| !is_genesys_own(x.authority.as_deref().unwrap_or("")))
                    .map(|x| {
                        format!(
                            "{}:{}",
                            x.authority.as_deref().unwrap_or(""),
                            x.value.as_deref().unwrap_or("")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(";"),
            ),
            Kind::UserName | Kind::Active | Kind::Manager | Kind::Groups => None,
        };
        value.filter(|v| !v.is_empty())
    }

    /// Fills the desired user with what the cell says of this column. A
    /// checked cell never fails to parse here; one that did would be left
    /// alone rather than guessed.
    pub fn fill(self, desired: DesiredUser, cell: &Desired<String>) -> DesiredUser {
        let Some(field) = self.field() else {
            return desired;
        };
        let value = match cell {
            Desired::Set(v) => v,
            Desired::Keep | Desired::Clear => return desired.set(field, cell.clone()),
        };
        let mut desired = desired.set(field, Desired::Keep);
        let user = &mut desired.user;
        fn genesys(user: &mut ScimV2User) -> &mut ScimUserExtensions {
            user.genesys_user
                .get_or_insert_with(ScimUserExtensions::new)
        }
        match self.kind() {
            Kind::Roles => {
                let roles = names(value).unwrap_or_default();
                user.roles = Some(
                    roles
                        .into_iter()
                        .map(|r| ScimUserRole::new().with_value(r))
                        .collect(),
                );
            }
            Kind::Skills => {
                let list = proficiencies(value).unwrap_or_default();
                genesys(user).routing_skills = Some(
                    list.into_iter()
                        .map(|(n, p)| {
                            with_proficiency(ScimUserRoutingSkill::new(n), p, |s, p| {
                                s.with_proficiency(p)
                            })
                        })
                        .collect(),
                );
            }
            Kind::Languages => {
                let list = proficiencies(value).unwrap_or_default();
                genesys(user).routing_languages = Some(
                    list.into_iter()
                        .map(|(n, p)| {
                            with_proficiency(ScimUserRoutingLanguage::new(n), p, |s, p| {
                                s.with_proficiency(p)
                            })
                        })
                        .collect(),
                );
            }
            Kind::ExternalIds => {
                let ids = external_ids(value).unwrap_or_default();
                genesys(user).external_ids = Some(
                    ids.into_iter()
                        .map(|(a, v)| ScimGenesysUserExternalId::new(a, v))
                        .collect(),
                );
            }
            _ => return desired.set(field, cell.clone()),
        }
        desired
    }

    /// The field of the sync engine the column stands for.
    pub fn field(self) -> Option<Field> {
        match self.kind() {
            Kind::Text { field, .. } | Kind::Date(field) => Some(field),
            Kind::Email => Some(Field::WorkEmail),
            Kind::Phone(kind) => Some(Field::Phone(kind)),
            Kind::Roles => Some(Field::Roles),
            Kind::Skills => Some(Field::RoutingSkills),
            Kind::Languages => Some(Field::RoutingLanguages),
            Kind::ExternalIds => Some(Field::GenesysExternalIds),
            Kind::UserName | Kind::Active | Kind::Manager | Kind::Groups => None,
        }
    }
}

fn with_proficiency<T>(item: T, p: Option<f64>, set: fn(T, f64) -> T) -> T {
    match p {
        Some(p) => set(item, p),
        None => item,
    }
}

impl PartialEq for Column {
    fn eq(&self, other: &Self) -> bool {
        self.0.name == other.0.name
    }
}
impl Eq for Column {}
impl PartialOrd for Column {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Column {
    fn cmp(&self, other: &Self) -> Ordering {
        self.position().cmp(&other.position())
    }
}
impl std::hash::Hash for Column {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.name.hash(state);
    }
}
impl fmt::Debug for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name)
    }
}

/// At most this many routing skills, and as many languages.
pub const MAX_ROUTING: usize = 50;

/// The authority of the external id Genesys keeps for itself.
const GENESYS_OWN: &str = "x-pc:scimv2:v1";

/// A loose check that catches shifted columns, not a full RFC 5322 parser;
/// the server has the last word.
pub fn is_email(s: &str) -> bool {
    matches!(s.split_once('@'), Some((local, domain))
        if !local.is_empty() && !domain.is_empty() && !s.contains(char::is_whitespace))
}

fn is_genesys_own(authority: &str) -> bool {
    authority.starts_with(GENESYS_OWN)
}

/// `YYYY-MM-DD` and a day of the calendar (jiff's).
fn is_date(s: &str) -> bool {
    s.len() == 10 && jiff::civil::Date::strptime("%Y-%m-%d", s).is_ok()
}

/// `a;b`: trimmed, without blanks or repeats.
fn names(cell: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for name in cell.split(';').map(str::trim).filter(|n| !n.is_empty()) {
        if !out.iter().any(|o| o == name) {
            out.push(name.to_owned());
        }
    }
    if out.is_empty() {
        return Err(format!(
            "no names; write {} to remove them all",
            super::CLEAR
        ));
    }
    Ok(out)
}

/// `Name:proficiency;…`, proficiency 0 to 5 (a name alone has none).
fn proficiencies(cell: &str) -> Result<Vec<(String, Option<f64>)>, String> {
    let mut out: Vec<(String, Option<f64>)> = Vec::new();
    for item in names(cell)? {
        let (name, level) = match item.rsplit_once(':') {
            Some((name, level)) => {
                let level = level.trim();
                let p = level
                    .parse::<f64>()
                    .ok()
                    .filter(|p| (0.0..=5.0).contains(p))
                    .ok_or_else(|| {
                        format!("`{item}`: the proficiency `{level}` is not a number from 0 to 5")
                    })?;
                (name.trim(), Some(p))
            }
            None => (item.as_str(), None),
        };
        if name.is_empty() {
            return Err(format!("`{item}` has no name before the `:`"));
        }
        if out.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
            return Err(format!("`{name}` is listed twice"));
        }
        out.push((name.to_owned(), level));
    }
    if out.len() > MAX_ROUTING {
        return Err(format!(
            "{} entries; Genesys Cloud allows at most {MAX_ROUTING}",
            out.len()
        ));
    }
    Ok(out)
}

fn join_proficiency(name: &str, p: Option<f64>) -> String {
    match p {
        Some(p) => format!("{name}:{p}"),
        None => name.to_owned(),
    }
}

/// `authority:value;…`, without Genesys' own entry.
fn external_ids(cell: &str) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for item in names(cell)? {
        if is_genesys_own(&item) {
            return Err(format!(
                "`{item}`: the {GENESYS_OWN} id belongs to Genesys Cloud and is never written"
            ));
        }
        let Some((authority, value)) = item.split_once(':') else {
            return Err(format!("`{item}` is not authority:value"));
        };
        let (authority, value) = (authority.trim(), value.trim());
        if authority.is_empty() || value.is_empty() {
            return Err(format!("`{item}` is not authority:value"));
        }
        if out.iter().any(|(a, _)| a == authority) {
            return Err(format!("authority `{authority}` is listed twice"));
        }
        out.push((authority.to_owned(), value.to_owned()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_the_constants_point_at_their_entries() {
        let mut seen = std::collections::HashSet::new();
        for c in Column::all() {
            assert!(seen.insert(c.name().to_ascii_lowercase()), "{c:?}");
        }
        for (c, name) in [
            (Column::USER_NAME, "userName"),
            (Column::DISPLAY_NAME, "displayName"),
            (Column::EXTERNAL_ID, "externalId"),
            (Column::TITLE, "title"),
            (Column::DEPARTMENT, "department"),
            (Column::DIVISION, "division"),
            (Column::EMPLOYEE_NUMBER, "employeeNumber"),
            (Column::EMAIL, "email"),
            (Column::PHONE, "phone"),
            (Column::MANAGER, "manager"),
            (Column::GROUPS, "groups"),
        ] {
            assert_eq!(c.name(), name);
        }
    }

    #[test]
    fn date_hire_takes_a_calendar_date() {
        let c = Column::parse("dateHire").unwrap();
        assert_eq!(c.check("2024-02-29"), Ok("2024-02-29".into()));
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "03/31/2024",
            "2024-3-1",
            "2024-03-3a",
        ] {
            assert!(c.check(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn roles_are_a_list_without_repeats() {
        let c = Column::parse("roles").unwrap();
        assert_eq!(c.check("agent; admin;agent;"), Ok("agent;admin".into()));
        assert!(c.check(";").is_err());
    }

    #[test]
    fn routing_skills_and_languages_take_a_proficiency_from_0_to_5_and_at_most_50() {
        for name in ["routingSkills", "routingLanguages"] {
            let c = Column::parse(name).unwrap();
            assert_eq!(
                c.check("Billing:3; French:4.5;Chat"),
                Ok("Billing:3;French:4.5;Chat".into())
            );
            assert_eq!(
                c.check("Billing:7").unwrap_err(),
                "`Billing:7`: the proficiency `7` is not a number from 0 to 5"
            );
            assert!(
                c.check("Billing:1;billing:2")
                    .unwrap_err()
                    .contains("twice")
            );
            let many: Vec<String> = (0..51).map(|i| format!("S{i}:1")).collect();
            assert!(c.check(&many.join(";")).unwrap_err().contains("at most 50"));
        }
    }

    #[test]
    fn external_ids_take_authority_value_and_refuse_genesys_own() {
        let c = Column::parse("externalIds").unwrap();
        assert_eq!(
            c.check("workday: 1007 ;badge:B-7"),
            Ok("workday:1007;badge:B-7".into())
        );
        assert!(
            c.check("x-pc:scimv2:v1:abc:1")
                .unwrap_err()
                .contains("never written")
        );
        assert!(c.check("workday").is_err());
    }

    #[test]
    fn every_genesys_phone_type_but_work_has_a_phone_column() {
        for kind in PhoneKind::ALL {
            let name = format!("phone.{}", kind.as_str());
            let c = Column::parse(&name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(c.field(), Some(Field::Phone(kind)));
        }
    }

    #[test]
    fn export_reads_the_new_attributes_without_genesys_own_id() {
        let user: ScimV2User = serde_json::from_value(serde_json::json!({
            "roles": [{"value": "b"}, {"value": "a"}],
            "phoneNumbers": [{"type": "mobile", "value": "+15550111"}],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"dateHire": "2024-01-02"},
            "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User": {
                "routingSkills": [{"name": "Billing", "proficiency": 3.0}],
                "externalIds": [{"authority": "x-pc:scimv2:v1", "value": "u"},
                                {"authority": "hr", "value": "1"}]
            }
        }))
        .unwrap();
        let cell = |n: &str| Column::parse(n).unwrap().export(&user);
        assert_eq!(cell("roles").as_deref(), Some("a;b"));
        assert_eq!(cell("phone.mobile").as_deref(), Some("+15550111"));
        assert_eq!(cell("dateHire").as_deref(), Some("2024-01-02"));
        assert_eq!(cell("routingSkills").as_deref(), Some("Billing:3"));
        assert_eq!(cell("routingLanguages"), None);
        assert_eq!(cell("externalIds").as_deref(), Some("hr:1"));
    }
}
