//! Date parts for the `date` and `currentdate` tests (RFC 5260 §4.2), from
//! a (unix seconds, zone offset in minutes) pair, without a calendar crate:
//! the civil-date conversion is Howard Hinnant's days-from-civil algorithm.

/// (year, month, day) of a day count since 1970-01-01.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn zone_text(offset_min: i32) -> String {
    let sign = if offset_min < 0 { '-' } else { '+' };
    let a = offset_min.unsigned_abs();
    format!("{sign}{:02}{:02}", a / 60, a % 60)
}

/// Parses `+hhmm` / `-hhmm` (RFC 5260 §4.1 `:zone`).
pub fn parse_zone(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    if b.len() != 5 || !(b[0] == b'+' || b[0] == b'-') || !b[1..].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let h: i32 = s[1..3].parse().ok()?;
    let m: i32 = s[3..5].parse().ok()?;
    if m > 59 {
        return None;
    }
    Some(if b[0] == b'-' {
        -(h * 60 + m)
    } else {
        h * 60 + m
    })
}

/// The value of a date part, or `None` for an unknown part.
pub fn part(unix: i64, offset_min: i32, name: &str) -> Option<String> {
    // Checked: no instant a message or --date can give comes near the
    // limits, but an out-of-range one is "no value", never a wrap.
    let local = unix.checked_add(i64::from(offset_min).checked_mul(60)?)?;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (y, mo, d) = civil(days);
    let (h, mi, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    let weekday = (days + 4).rem_euclid(7); // 1970-01-01 was a Thursday
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let zone = zone_text(offset_min);
    Some(match name.to_ascii_lowercase().as_str() {
        "year" => format!("{y:04}"),
        "month" => format!("{mo:02}"),
        "day" => format!("{d:02}"),
        "date" => format!("{y:04}-{mo:02}-{d:02}"),
        // Modified Julian Day: days since 1858-11-17.
        "julian" => (days + 40_587).to_string(),
        "hour" => format!("{h:02}"),
        "minute" => format!("{mi:02}"),
        "second" => format!("{s:02}"),
        "time" => format!("{h:02}:{mi:02}:{s:02}"),
        // RFC 5260 §4.2: RFC 3339 §5.6 `date-time`, "T" and "Z" upper
        // case, and an offset of zero MUST be "Z", not "+00:00" (RFC 3339
        // §4.3's "-00:00", an unknown offset, cannot arise: an offset of
        // 0 is always positive here, as for "zone").
        "iso8601" if offset_min == 0 => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"),
        "iso8601" => format!(
            "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{}:{}",
            &zone[..3],
            &zone[3..]
        ),
        "std11" => format!(
            "{}, {d} {} {y:04} {h:02}:{mi:02}:{s:02} {zone}",
            DAYS[weekday as usize],
            MONTHS[(mo - 1) as usize]
        ),
        "zone" => zone,
        "weekday" => weekday.to_string(),
        _ => return None,
    })
}

/// `--date`: RFC 3339 (`2026-12-25T09:00:00Z`, `…+01:00`) or a plain
/// `2026-12-25` (midnight UTC).
pub fn parse_now(s: &str) -> Option<(i64, i32)> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        t.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())?
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !(1..=12).contains(&mo)
        || !(1..=31).contains(&d)
    {
        return None;
    }
    let days = days_from_civil(y, mo as u32, d as u32);
    if s.len() == 10 {
        return Some((days * 86_400, 0));
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' '))
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
    {
        return None;
    }
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        rest = frac.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let offset = match rest {
        "Z" | "z" => 0,
        z if z.len() == 6 && z.as_bytes()[3] == b':' => {
            parse_zone(&format!("{}{}", &z[..3], &z[4..]))?
        }
        _ => return None,
    };
    let local = days * 86_400 + h * 3600 + mi * 60 + sec;
    Some((local - i64::from(offset) * 60, offset))
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_of_a_known_instant() {
        // 2026-12-25T09:30:15+01:00 = 08:30:15Z
        let (t, z) = parse_now("2026-12-25T09:30:15+01:00").expect("valid");
        assert_eq!(z, 60);
        assert_eq!(part(t, z, "date").as_deref(), Some("2026-12-25"));
        assert_eq!(part(t, z, "time").as_deref(), Some("09:30:15"));
        assert_eq!(part(t, 0, "hour").as_deref(), Some("08"));
        assert_eq!(part(t, z, "weekday").as_deref(), Some("5"));
        assert_eq!(part(t, z, "zone").as_deref(), Some("+0100"));
        assert_eq!(
            part(t, z, "iso8601").as_deref(),
            Some("2026-12-25T09:30:15+01:00")
        );
        assert_eq!(
            part(t, z, "std11").as_deref(),
            Some("Fri, 25 Dec 2026 09:30:15 +0100")
        );
        assert_eq!(part(0, 0, "julian").as_deref(), Some("40587"));
        // RFC 5260 §4.2: offset zero is "Z", never "+00:00".
        assert_eq!(
            part(t, 0, "iso8601").as_deref(),
            Some("2026-12-25T08:30:15Z")
        );
        assert_eq!(
            part(t, -330, "iso8601").as_deref(),
            Some("2026-12-25T03:00:15-05:30")
        );
        assert_eq!(part(t, 0, "zone").as_deref(), Some("+0000"));
        assert_eq!(part(t, z, "nope"), None);
    }

    #[test]
    fn plain_dates_and_bad_input() {
        assert_eq!(
            parse_now("2026-12-25"),
            Some((days_from_civil(2026, 12, 25) * 86_400, 0))
        );
        for bad in [
            "2026-13-01",
            "26-12-25",
            "2026-12-25T25:00:00Z",
            "2026-12-25T09:00:00",
            "x",
        ] {
            assert_eq!(parse_now(bad), None, "{bad}");
        }
        assert_eq!(parse_zone("-0530"), Some(-330));
        assert_eq!(parse_zone("+1260"), None);
    }

    /// An instant at the ends of i64 with a zone is no value, never a wrap
    /// or a panic.
    #[test]
    fn instants_at_the_limits_have_no_value() {
        assert_eq!(part(i64::MAX, 60, "date"), None);
        assert_eq!(part(i64::MIN, -60, "date"), None);
        assert!(part(i64::MAX, 0, "year").is_some());
        assert!(part(i64::MIN, 0, "julian").is_some());
    }

    #[test]
    fn civil_round_trip() {
        for days in [-800_000i64, -1, 0, 1, 11_016, 20_000, 2_932_896] {
            let (y, m, d) = civil(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
