//! Dates to `YYYY-MM-DD` through jiff. A mapping names the format a column
//! is written in; a date-time becomes the date it is in the declared time
//! zone (UTC unless the mapping says otherwise).

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::fmt::strtime;
use jiff::tz::TimeZone;

/// How a column writes its dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateFormat {
    /// A strftime layout (`%d/%m/%Y`); `MM/DD/YYYY`-style layouts are
    /// turned into one.
    Strftime(String),
    /// ISO 8601: a date, a date-time, with or without an offset.
    Iso,
    /// OData JSON: `/Date(1552521600000)/`, also with an offset
    /// (`/Date(1552521600000+0000)/`): milliseconds since the epoch.
    OData,
    /// Milliseconds since 1970-01-01T00:00:00Z.
    EpochMs,
}

/// The formats a mapping can name besides layouts.
pub const NAMED: &str = "iso, odata, epoch-ms";

impl DateFormat {
    /// `iso`, `odata`, `epoch-ms`, a layout with `%`, or one made of
    /// `YYYY`, `MM` and `DD` (once each) and other characters.
    pub fn parse(text: &str) -> Result<DateFormat, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "iso" => return Ok(DateFormat::Iso),
            "odata" => return Ok(DateFormat::OData),
            "epoch-ms" => return Ok(DateFormat::EpochMs),
            _ => {}
        }
        if text.contains('%') {
            return Ok(DateFormat::Strftime(text.to_owned()));
        }
        let once = ["YYYY", "MM", "DD"]
            .iter()
            .all(|t| text.matches(t).count() == 1);
        if !once {
            return Err(format!(
                "date layout `{text}` must hold YYYY, MM and DD once each (such as MM/DD/YYYY), \
                 use % directives (%d.%m.%Y), or be one of {NAMED}"
            ));
        }
        let layout = text
            .replace('%', "%%")
            .replace("YYYY", "%Y")
            .replace("MM", "%m")
            .replace("DD", "%d");
        Ok(DateFormat::Strftime(layout))
    }

    /// The date `value` stands for, as `YYYY-MM-DD`.
    pub fn date(&self, value: &str, zone: &TimeZone) -> Result<String, String> {
        let wrong = || format!("`{value}` is not a date as {}", self.describe());
        let date = match self {
            DateFormat::Strftime(layout) => {
                let parsed = strtime::parse(layout, value).map_err(|_| wrong())?;
                match parsed.to_timestamp() {
                    Ok(t) => zone.to_datetime(t).date(),
                    Err(_) => parsed.to_date().map_err(|_| wrong())?,
                }
            }
            DateFormat::Iso => iso(value, zone).ok_or_else(wrong)?,
            DateFormat::OData => {
                let inner = value
                    .trim()
                    .strip_prefix("/Date(")
                    .and_then(|v| v.strip_suffix(")/"))
                    .ok_or_else(wrong)?;
                // The offset only says where it was written: the number is UTC.
                let ms = inner
                    .find(['+', '-'])
                    .filter(|&i| i > 0)
                    .map_or(inner, |i| &inner[..i]);
                millis(ms, zone).ok_or_else(wrong)?
            }
            DateFormat::EpochMs => millis(value, zone).ok_or_else(wrong)?,
        };
        Ok(date.to_string())
    }

    fn describe(&self) -> String {
        match self {
            DateFormat::Strftime(layout) => layout
                .replace("%Y", "YYYY")
                .replace("%m", "MM")
                .replace("%d", "DD")
                .replace("%%", "%"),
            DateFormat::Iso => "ISO 8601 (2024-03-31 or 2024-03-31T08:00:00Z)".into(),
            DateFormat::OData => "/Date(milliseconds)/".into(),
            DateFormat::EpochMs => "milliseconds since 1970".into(),
        }
    }
}

fn iso(value: &str, zone: &TimeZone) -> Option<Date> {
    let value = value.trim();
    if let Ok(t) = value.parse::<Timestamp>() {
        return Some(zone.to_datetime(t).date());
    }
    value
        .parse::<DateTime>()
        .map(|d| d.date())
        .or_else(|_| value.parse::<Date>())
        .ok()
}

fn millis(value: &str, zone: &TimeZone) -> Option<Date> {
    let ms = value.trim().parse::<i64>().ok()?;
    let t = Timestamp::from_millisecond(ms).ok()?;
    Some(zone.to_datetime(t).date())
}

/// The time zone a mapping names (`Europe/Berlin`, `UTC`).
pub fn time_zone(name: &str) -> Result<TimeZone, String> {
    TimeZone::get(name.trim()).map_err(|e| format!("time zone `{name}`: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_layouts_become_strftime_and_still_take_one_digit_days() {
        let us = DateFormat::parse("MM/DD/YYYY").unwrap();
        assert_eq!(us, DateFormat::Strftime("%m/%d/%Y".into()));
        assert_eq!(us.date("3/7/2021", &TimeZone::UTC), Ok("2021-03-07".into()));
        assert_eq!(
            us.date("2021-03-07", &TimeZone::UTC).unwrap_err(),
            "`2021-03-07` is not a date as MM/DD/YYYY"
        );
        assert!(us.date("2/30/2021", &TimeZone::UTC).is_err());
        assert!(DateFormat::parse("MM/YYYY").is_err());
    }
}
