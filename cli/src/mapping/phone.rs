//! Phone numbers to E.164 through libphonenumber (the `phonenumber`
//! crate, whose releases carry Google's metadata): the rules of each
//! country's numbering plan are the library's, not ours.

use phonenumber::country::Id;
use phonenumber::{Mode, PhoneNumber};

/// The country a cell names: ISO 3166-1 alpha-2 (`GB`), alpha-3 (`GBR`),
/// or its ISO English name (`Ireland`), ignoring case.
pub fn country(value: &str) -> Result<Id, String> {
    let value = value.trim();
    let alpha2 = match value.len() {
        2 => Some(value.to_ascii_uppercase()),
        3 => isocountry::CountryCode::for_alpha3_caseless(value)
            .ok()
            .map(|c| c.alpha2().to_owned()),
        _ => isocountry::CountryCode::iter()
            .find(|c| c.name().eq_ignore_ascii_case(value))
            .map(|c| c.alpha2().to_owned()),
    };
    alpha2
        .and_then(|code| code.parse::<Id>().ok())
        .ok_or_else(|| {
            format!("`{value}` is not a country (ISO 3166 alpha-2 or alpha-3, or its ISO name)")
        })
}

/// The number in E.164, with `;ext=N` when it has an extension (in the
/// cell as `x123`, `ext. 123` or `;ext=123`, or given apart). A number
/// written with `+` or `00` carries its own country; others are national
/// numbers of `country`. The error says why the value is no valid number.
pub fn e164(value: &str, country: Option<Id>, extension: &str) -> Result<String, String> {
    let number = parse(value, country)?;
    let mut out = number.format().mode(Mode::E164).to_string();
    let extension = extension.trim();
    match number.extension() {
        Some(own) => out.push_str(&format!(";ext={own}")),
        None if extension.is_empty() => {}
        None if extension.bytes().all(|b| b.is_ascii_digit()) => {
            out.push_str(&format!(";ext={extension}"));
        }
        None => return Err(format!("the extension `{extension}` is not digits")),
    }
    Ok(out)
}

fn parse(value: &str, country: Option<Id>) -> Result<PhoneNumber, String> {
    // The library reads `;ext=` only in a tel: URI, and `00` only where
    // it is the country's international prefix.
    let mut text = value.trim().replace(";ext=", " ext. ");
    if let Some(rest) = text.strip_prefix("00") {
        text = format!("+{rest}");
    }
    let international = text.starts_with('+');
    if international {
        // `+44 (0)20 …`: the trunk prefix, which is not dialled.
        text = text.replace("(0)", "");
    }
    let name = |c: Option<Id>| c.map_or("no country".to_owned(), |c| format!("{c:?}"));
    if !international && country.is_none() {
        return Err("is a national number and the row gives no country".into());
    }
    let number = phonenumber::parse(if international { None } else { country }, &text)
        .map_err(|_| format!("is not a phone number ({})", name(country)))?;
    if !number.is_valid() {
        let own = number.country().id();
        return Err(format!(
            "is not a valid number for {}",
            name(if international { own } else { country })
        ));
    }
    Ok(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_alpha2_alpha3_or_iso_names() {
        assert_eq!(country("gb"), Ok(Id::GB));
        assert_eq!(country("DEU"), Ok(Id::DE));
        assert_eq!(country("Ireland"), Ok(Id::IE));
        assert!(country("Atlantis").is_err());
    }

    #[test]
    fn numbers_are_validated_by_their_country() {
        assert_eq!(
            e164("(312) 555-0100", Some(Id::US), ""),
            Ok("+13125550100".into())
        );
        // A Chicago number read as British is no valid British number.
        assert!(e164("(312) 555-0100", Some(Id::GB), "").is_err());
        assert!(e164("55 5418 1034", Some(Id::US), "").is_err());
        assert_eq!(
            e164("55 5418 1034", Some(Id::MX), ""),
            Ok("+525554181034".into())
        );
        assert!(e164("01 234 5678", None, "").is_err());
    }
}
