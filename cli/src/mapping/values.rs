//! Value conversions a mapping can ask for: dates to YYYY-MM-DD and phone
//! numbers to E.164.

/// A date layout such as `MM/DD/YYYY`: `YYYY`, `MM` and `DD` (a month or
/// day may have one digit), any other character as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateLayout(String);

impl DateLayout {
    pub fn parse(layout: &str) -> Result<DateLayout, String> {
        let ok = ["YYYY", "MM", "DD"]
            .iter()
            .all(|t| layout.matches(t).count() == 1);
        if ok {
            Ok(DateLayout(layout.to_owned()))
        } else {
            Err(format!(
                "date layout `{layout}` must hold YYYY, MM and DD once each (such as MM/DD/YYYY)"
            ))
        }
    }

    /// The date as YYYY-MM-DD (the reader checks it is a real day).
    pub fn reformat(&self, value: &str) -> Result<String, String> {
        let wrong = || format!("`{value}` is not a date as {}", self.0);
        let (mut year, mut month, mut day) = (None, None, None);
        let mut rest = value;
        let mut layout = self.0.as_str();
        while !layout.is_empty() {
            let (slot, width) = if let Some(l) = layout.strip_prefix("YYYY") {
                layout = l;
                (&mut year, 4..=4)
            } else if let Some(l) = layout.strip_prefix("MM") {
                layout = l;
                (&mut month, 1..=2)
            } else if let Some(l) = layout.strip_prefix("DD") {
                layout = l;
                (&mut day, 1..=2)
            } else {
                let mut chars = layout.chars();
                let c = chars.next().ok_or_else(wrong)?;
                layout = chars.as_str();
                rest = rest.strip_prefix(c).ok_or_else(wrong)?;
                continue;
            };
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            if !width.contains(&digits) {
                return Err(wrong());
            }
            *slot = rest[..digits].parse::<u32>().ok();
            rest = &rest[digits..];
        }
        match (year, month, day, rest.is_empty()) {
            (Some(y), Some(m), Some(d), true) => Ok(format!("{y:04}-{m:02}-{d:02}")),
            _ => Err(wrong()),
        }
    }
}

/// Calling codes of the default countries a mapping may name, with whether
/// a national number starts with the trunk prefix 0 that E.164 drops.
/// NANP (US, CA) is handled on its own.
const COUNTRIES: &[(&str, &str, bool)] = &[
    ("GB", "44", true),
    ("IE", "353", true),
    ("FR", "33", true),
    ("DE", "49", true),
    ("NL", "31", true),
    ("BE", "32", true),
    ("CH", "41", true),
    ("AU", "61", true),
    ("NZ", "64", true),
    ("IN", "91", true),
    ("ES", "34", false),
    ("IT", "39", false),
];

/// The country whose national numbers a mapping normalises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country(String);

impl Country {
    pub fn parse(code: &str) -> Result<Country, String> {
        let code = code.to_ascii_uppercase();
        if code == "US" || code == "CA" || COUNTRIES.iter().any(|(c, _, _)| *c == code) {
            Ok(Country(code))
        } else {
            let known: Vec<&str> = COUNTRIES.iter().map(|(c, _, _)| *c).collect();
            Err(format!(
                "unknown country `{code}` (the countries are US, CA, {})",
                known.join(", ")
            ))
        }
    }

    /// The number in E.164 (`+` and digits). A number already starting
    /// with `+` or `00` keeps its country; others are read as national
    /// numbers of this country. Spaces, dots, dashes and brackets go.
    pub fn to_e164(&self, value: &str) -> Result<String, String> {
        let wrong = |why: &str| format!("`{value}` is not a phone number: {why}");
        if let Some(c) = value
            .chars()
            .find(|c| !c.is_ascii_digit() && !" .-()/+".contains(*c))
        {
            return Err(wrong(&format!("`{c}` is not part of a number")));
        }
        let digits: String = value.chars().filter(char::is_ascii_digit).collect();
        let international = if value.trim_start().starts_with('+') {
            Some(digits.clone())
        } else {
            digits.strip_prefix("00").map(str::to_owned)
        };
        let full = match international {
            Some(d) => d,
            None => self.national(&digits).map_err(|e| wrong(&e))?,
        };
        if !(8..=15).contains(&full.len()) {
            return Err(wrong("E.164 numbers have 8 to 15 digits"));
        }
        Ok(format!("+{full}"))
    }

    fn national(&self, digits: &str) -> Result<String, String> {
        if self.0 == "US" || self.0 == "CA" {
            return match digits.len() {
                10 => Ok(format!("1{digits}")),
                11 if digits.starts_with('1') => Ok(digits.to_owned()),
                _ => Err("a North American number has 10 digits".into()),
            };
        }
        let (_, code, trunk) = COUNTRIES
            .iter()
            .find(|(c, _, _)| *c == self.0)
            .ok_or("unknown country")?;
        let national = if *trunk {
            digits.strip_prefix('0').unwrap_or(digits)
        } else {
            digits
        };
        Ok(format!("{code}{national}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_reformatted_from_the_layout() {
        let us = DateLayout::parse("MM/DD/YYYY").unwrap();
        assert_eq!(us.reformat("3/7/2021"), Ok("2021-03-07".into()));
        assert_eq!(us.reformat("12/31/2020"), Ok("2020-12-31".into()));
        assert_eq!(
            us.reformat("2021-03-07").unwrap_err(),
            "`2021-03-07` is not a date as MM/DD/YYYY"
        );
        let eu = DateLayout::parse("DD.MM.YYYY").unwrap();
        assert_eq!(eu.reformat("07.03.2021"), Ok("2021-03-07".into()));
        assert!(DateLayout::parse("MM/YYYY").is_err());
    }

    #[test]
    fn phones_become_e164_with_the_default_country() {
        let us = Country::parse("us").unwrap();
        for national in [
            "(312) 555-0101",
            "312.555.0101",
            "312-555-0101",
            "1 312 555 0101",
        ] {
            assert_eq!(
                us.to_e164(national),
                Ok("+13125550101".into()),
                "{national}"
            );
        }
        assert_eq!(us.to_e164("+44 20 7946 0958"), Ok("+442079460958".into()));
        assert_eq!(us.to_e164("0033 4 72 10 31 17"), Ok("+33472103117".into()));
        assert!(us.to_e164("555-0101").unwrap_err().contains("10 digits"));
        assert!(us.to_e164("312 555 0101 x12").unwrap_err().contains("`x`"));
        let fr = Country::parse("FR").unwrap();
        assert_eq!(fr.to_e164("04 72 10 31 17"), Ok("+33472103117".into()));
        let it = Country::parse("IT").unwrap();
        assert_eq!(it.to_e164("06 6982 1234"), Ok("+390669821234".into()));
        assert!(
            Country::parse("XX")
                .unwrap_err()
                .contains("unknown country")
        );
    }
}
