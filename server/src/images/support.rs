//! The .NET support lifecycle (GA, end of support, LTS/STS) and support status on a given day.
//!
//! Dates are `YYYY-MM-DD` strings; "today" is always an input so every status is reproducible.
//! The end-of-support date is the last supported day (the final patch ships that day).

use super::facts::DotnetVersion;

/// Months before end of support during which a release only gets security fixes
/// (dotnet/core:release-policies.md, "maintenance").
const MAINTENANCE_MONTHS: u32 = 6;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReleaseType {
    Lts,
    Sts,
}

impl ReleaseType {
    pub fn name(self) -> &'static str {
        match self {
            ReleaseType::Lts => "LTS",
            ReleaseType::Sts => "STS",
        }
    }
}

/// One .NET version's lifecycle, from dotnet/core's release index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lifecycle {
    pub version: DotnetVersion,
    pub release_type: ReleaseType,
    pub ga: Option<&'static str>,
    pub end_of_support: Option<&'static str>,
    /// For versions still in preview: the announced GA and end-of-support dates.
    pub planned_ga: Option<&'static str>,
    pub planned_end_of_support: Option<&'static str>,
}

/// Support status of a .NET version on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SupportStatus {
    /// Not released yet as of the catalog (or of today).
    Preview {
        planned_ga: Option<&'static str>,
    },
    Supported {
        end: &'static str,
    },
    /// Within the last six months of support: security fixes only.
    Maintenance {
        end: &'static str,
    },
    OutOfSupport {
        end: &'static str,
    },
    /// Today's date could not be read; only the end date is known.
    Unknown {
        end: Option<&'static str>,
    },
}

impl SupportStatus {
    pub fn is_out_of_support(self) -> bool {
        matches!(self, SupportStatus::OutOfSupport { .. })
    }
    /// The (possibly planned) last day of support.
    pub fn end(self) -> Option<&'static str> {
        match self {
            SupportStatus::Supported { end }
            | SupportStatus::Maintenance { end }
            | SupportStatus::OutOfSupport { end } => Some(end),
            SupportStatus::Unknown { end } => end,
            SupportStatus::Preview { .. } => None,
        }
    }
}

impl Lifecycle {
    /// The end of support, or the planned one while in preview.
    pub fn end_or_planned(&self) -> Option<&'static str> {
        self.end_of_support.or(self.planned_end_of_support)
    }

    pub fn status_on(&self, today: &str) -> SupportStatus {
        let Some(today) = Date::parse(today) else {
            return SupportStatus::Unknown {
                end: self.end_or_planned(),
            };
        };
        let (end, ga) = match (self.end_of_support, self.ga) {
            (Some(end), Some(ga)) => (end, Some(ga)),
            (Some(end), None) => (end, None),
            (None, _) => {
                // A preview in the catalog becomes a release on its planned GA day.
                match (
                    self.planned_ga.and_then(Date::parse),
                    self.planned_end_of_support,
                ) {
                    (Some(ga), Some(end)) if today >= ga => (end, None),
                    _ => {
                        return SupportStatus::Preview {
                            planned_ga: self.planned_ga,
                        }
                    }
                }
            }
        };
        if ga.and_then(Date::parse).is_some_and(|ga| today < ga) {
            return SupportStatus::Preview { planned_ga: ga };
        }
        let Some(end_date) = Date::parse(end) else {
            return SupportStatus::Unknown { end: Some(end) };
        };
        if today > end_date {
            SupportStatus::OutOfSupport { end }
        } else if today >= end_date.minus_months(MAINTENANCE_MONTHS) {
            SupportStatus::Maintenance { end }
        } else {
            SupportStatus::Supported { end }
        }
    }

    /// "supported until 2028-11-14", "out of support since 2024-11-12", ...
    pub fn status_phrase(&self, today: &str) -> String {
        match self.status_on(today) {
            SupportStatus::Preview {
                planned_ga: Some(ga),
            } => format!("preview, GA planned {ga}"),
            SupportStatus::Preview { planned_ga: None } => "preview".to_string(),
            SupportStatus::Supported { end } => format!("supported until {end}"),
            SupportStatus::Maintenance { end } => {
                format!("maintenance (security fixes only) until {end}")
            }
            SupportStatus::OutOfSupport { end } => format!("out of support since {end}"),
            SupportStatus::Unknown { end: Some(end) } => format!("support ends {end}"),
            SupportStatus::Unknown { end: None } => "support dates unknown".to_string(),
        }
    }

    /// ".NET 10.0 (LTS): supported until 2028-11-14"
    pub fn status_line(&self, today: &str) -> String {
        format!(
            "{} ({}): {}",
            self.version.product_name(),
            self.release_type.name(),
            self.status_phrase(today)
        )
    }

    /// Short form for completion details and tables: "LTS, until 2028-11-14", "ended 2024-11-12".
    pub fn status_short(&self, today: &str) -> String {
        let kind = self.release_type.name();
        match self.status_on(today) {
            SupportStatus::Preview {
                planned_ga: Some(ga),
            } => format!("preview, GA {ga}"),
            SupportStatus::Preview { planned_ga: None } => "preview".to_string(),
            SupportStatus::Supported { end } => format!("{kind}, until {end}"),
            SupportStatus::Maintenance { end } => format!("{kind}, maintenance until {end}"),
            SupportStatus::OutOfSupport { end } => format!("out of support since {end}"),
            SupportStatus::Unknown { end: Some(end) } => format!("{kind}, ends {end}"),
            SupportStatus::Unknown { end: None } => kind.to_string(),
        }
    }
}

/// A calendar date, ordered chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    year: u32,
    month: u32,
    day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD` (month 1-12, day 1-31).
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = text.get(range)?;
            if part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let date = Date {
            year: number(0..4)?,
            month: number(5..7)?,
            day: number(8..10)?,
        };
        ((1..=12).contains(&date.month) && (1..=31).contains(&date.day)).then_some(date)
    }

    fn minus_months(self, months: u32) -> Date {
        let index = self.year * 12 + (self.month - 1) - months;
        Date {
            year: index / 12,
            month: index % 12 + 1,
            day: self.day,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lifecycle(
        version: (u16, u16),
        ga: Option<&'static str>,
        end: Option<&'static str>,
    ) -> Lifecycle {
        Lifecycle {
            version: DotnetVersion::new(version.0, version.1),
            release_type: ReleaseType::Lts,
            ga,
            end_of_support: end,
            planned_ga: None,
            planned_end_of_support: None,
        }
    }

    #[test]
    fn dates_parse_strictly() {
        assert!(Date::parse("2026-11-10").is_some());
        assert_eq!(Date::parse("2026-13-01"), None);
        assert_eq!(Date::parse("2026-1-01"), None);
        assert_eq!(Date::parse("today"), None);
        assert_eq!(Date::parse("2026-11-1x"), None);
        assert_eq!(Date::parse("२०२६-११-१०"), None);
        assert!(Date::parse("2026-11-10") < Date::parse("2026-11-11"));
    }

    #[test]
    fn end_of_support_day_is_still_supported() {
        let net8 = lifecycle((8, 0), Some("2023-11-14"), Some("2026-11-10"));
        assert_eq!(
            net8.status_on("2026-11-10"),
            SupportStatus::Maintenance { end: "2026-11-10" }
        );
        assert_eq!(
            net8.status_on("2026-11-11"),
            SupportStatus::OutOfSupport { end: "2026-11-10" }
        );
        assert_eq!(
            net8.status_on("2026-05-09"),
            SupportStatus::Supported { end: "2026-11-10" }
        );
        assert_eq!(
            net8.status_on("2026-05-10"),
            SupportStatus::Maintenance { end: "2026-11-10" }
        );
        assert_eq!(
            net8.status_on("2023-01-01"),
            SupportStatus::Preview {
                planned_ga: Some("2023-11-14")
            }
        );
        assert_eq!(
            net8.status_on("soon"),
            SupportStatus::Unknown {
                end: Some("2026-11-10")
            }
        );
        assert_eq!(
            net8.status_line("2026-12-01"),
            ".NET 8.0 (LTS): out of support since 2026-11-10"
        );
        assert_eq!(
            net8.status_short("2026-08-25"),
            "LTS, maintenance until 2026-11-10"
        );
    }

    #[test]
    fn preview_turns_into_release_on_planned_ga() {
        let net11 = Lifecycle {
            version: DotnetVersion::new(11, 0),
            release_type: ReleaseType::Sts,
            ga: None,
            end_of_support: None,
            planned_ga: Some("2026-11-10"),
            planned_end_of_support: Some("2028-11-09"),
        };
        assert_eq!(
            net11.status_on("2026-08-25"),
            SupportStatus::Preview {
                planned_ga: Some("2026-11-10")
            }
        );
        assert_eq!(
            net11.status_on("2026-11-10"),
            SupportStatus::Supported { end: "2028-11-09" }
        );
        assert_eq!(
            net11.status_phrase("2026-08-25"),
            "preview, GA planned 2026-11-10"
        );
    }
}
