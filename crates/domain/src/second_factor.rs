//! The second factor: TOTP (RFC 6238 over RFC 4226 HOTP) with SHA-1, 6 digits and 30-second
//! steps — what every authenticator app understands — and the office's policy of who must have
//! one and from when. Pure functions; the store keeps the secret and the last step used.

use chrono::NaiveDate;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

/// Seconds per step.
pub const STEP: i64 = 30;
/// Digits of a code.
pub const DIGITS: u32 = 6;
/// Bytes of a secret (160 bits, as RFC 4226 recommends).
pub const SECRET_BYTES: usize = 20;

/// The HOTP value of `secret` at `counter` (RFC 4226 §5.3), as a 6-digit number.
pub fn hotp(secret: &[u8], counter: u64) -> u32 {
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret) else {
        return 0; // HMAC takes keys of any length; never reached.
    };
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[h.len() - 1] & 0x0f);
    let bin = (u32::from(h[offset]) & 0x7f) << 24
        | u32::from(h[offset + 1]) << 16
        | u32::from(h[offset + 2]) << 8
        | u32::from(h[offset + 3]);
    bin % 10u32.pow(DIGITS)
}

/// The step a Unix time falls in.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP)
}

/// The code for `secret` at a step, zero-padded to 6 digits.
pub fn code_at(secret: &[u8], step: i64) -> String {
    format!("{:06}", hotp(secret, u64::try_from(step).unwrap_or(0)))
}

/// A typed code as digits only: full-width digits and spaces are accepted (NFKC); anything
/// else is not a TOTP code.
pub fn normalise_code(typed: &str) -> Option<String> {
    let s: String = crate::text::nfkc(typed)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (s.len() == DIGITS as usize && s.chars().all(|c| c.is_ascii_digit())).then_some(s)
}

/// Checks `typed` against the steps around `now` (one before and one after, for clocks that
/// drift), refusing any step not after `last_used` (a code is good once). Returns the step
/// that matched. The comparison does not stop at the first differing digit.
pub fn verify(secret: &[u8], typed: &str, unix_now: i64, last_used: Option<i64>) -> Option<i64> {
    let typed = normalise_code(typed)?;
    let now = step_at(unix_now);
    let mut found = None;
    for step in [now - 1, now, now + 1] {
        if step < 0 || last_used.is_some_and(|l| step <= l) {
            continue;
        }
        let code = code_at(secret, step);
        let same = code
            .bytes()
            .zip(typed.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
        if same && found.is_none() {
            found = Some(step);
        }
    }
    found
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding (what `otpauth://` URIs carry).
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut buf: u32 = 0;
    let mut bits = 0;
    for b in bytes {
        buf = (buf << 8) | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((buf >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(BASE32[((buf << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Base32 back to bytes; spaces, hyphens, padding and lower case are accepted.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf: u32 = 0;
    let mut bits = 0;
    for c in text.chars() {
        if c == ' ' || c == '-' || c == '=' {
            continue;
        }
        let c = c.to_ascii_uppercase();
        let v = BASE32.iter().position(|x| char::from(*x) == c)?;
        buf = (buf << 5) | v as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buf >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// The secret in groups of 4 for typing into an app by hand.
pub fn grouped(secret_base32: &str) -> String {
    secret_base32
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn uri_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `otpauth://` URI an authenticator app reads from the QR code.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    let issuer = uri_escape(issuer);
    format!(
        "otpauth://totp/{issuer}:{}?secret={}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP}",
        uri_escape(account),
        base32_encode(secret)
    )
}

/// The name apps show beside the code.
pub const ISSUER: &str = "yorisoi";

/// The `otpauth://` URI of a yorisoi user's secret (the account shown as `login@office id`,
/// since logins are unique only within a deployment's office).
pub fn user_uri(login: &str, office_id: i64, secret: &[u8]) -> String {
    otpauth_uri(ISSUER, &format!("{login}@{office_id}"), secret)
}

/// A recovery code as typed, normalised for comparison (upper case, no spaces or hyphens).
pub fn normalise_recovery(typed: &str) -> String {
    crate::text::nfkc(typed)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The office's rule for the second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Each user decides (admins must still have one).
    Optional,
    /// Everyone must have one.
    Required,
}

impl Mode {
    pub fn code(self) -> &'static str {
        match self {
            Mode::Optional => "optional",
            Mode::Required => "required",
        }
    }
    pub fn from_code(s: &str) -> Option<Mode> {
        match s {
            "optional" => Some(Mode::Optional),
            "required" => Some(Mode::Required),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Mode::Optional => "任意（各職員が選ぶ。管理者は必須）",
            Mode::Required => "全員に必須",
        }
    }
}

/// An office's policy: the mode, and the last day users who must have a second factor may
/// still sign in without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub mode: Mode,
    pub grace_until: Option<NaiveDate>,
}

/// What a user without a second factor meets at sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// Not required of this user.
    None,
    /// Required, but the grace period runs until this day (inclusive): sign in, with a banner.
    Grace(NaiveDate),
    /// Required now: enrol before anything else.
    Now,
}

impl Policy {
    /// The policy as typed: a mode code and a grace date (any accepted date form, or empty).
    pub fn parse(mode: &str, grace_until: &str) -> Result<Policy, crate::FieldErrors> {
        let mut e = crate::FieldErrors::new();
        let mode = Mode::from_code(mode.trim());
        if mode.is_none() {
            e.add("mode", "方針を選んでください。");
        }
        let grace = if grace_until.trim().is_empty() {
            None
        } else {
            match crate::date::parse_date(grace_until) {
                Ok(d) => Some(d),
                Err(err) => {
                    e.add("grace_until", err.to_string());
                    None
                }
            }
        };
        match mode {
            Some(mode) if e.is_empty() => Ok(Policy {
                mode,
                grace_until: grace,
            }),
            _ => Err(e),
        }
    }

    /// Whether a user (admin or not) must have a second factor on `today` (Japan's date).
    pub fn requirement(&self, is_admin: bool, today: NaiveDate) -> Requirement {
        if self.mode == Mode::Optional && !is_admin {
            return Requirement::None;
        }
        match self.grace_until {
            Some(d) if today <= d => Requirement::Grace(d),
            _ => Requirement::Now,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// RFC 6238 appendix B, SHA-1 (the 8-digit values' last 6 digits).
    #[test]
    fn rfc6238_vectors() {
        let secret = b"12345678901234567890";
        for (t, code) in [
            (59, "287082"),
            (1111111109, "081804"),
            (1111111111, "050471"),
            (1234567890, "005924"),
            (2000000000, "279037"),
            (20000000000, "353130"),
        ] {
            assert_eq!(code_at(secret, step_at(t)), code, "T = {t}");
        }
    }

    /// RFC 4226 appendix D.
    #[test]
    fn rfc4226_vectors() {
        let secret = b"12345678901234567890";
        let want = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (i, w) in want.iter().enumerate() {
            assert_eq!(hotp(secret, i as u64), *w);
        }
    }

    #[test]
    fn window_and_reuse() {
        let secret = b"12345678901234567890";
        let t = 1111111111;
        let now = step_at(t);
        let before = code_at(secret, now - 1);
        let after = code_at(secret, now + 1);
        let far = code_at(secret, now + 2);
        assert_eq!(verify(secret, &before, t, None), Some(now - 1));
        assert_eq!(verify(secret, &after, t, None), Some(now + 1));
        assert_eq!(verify(secret, &far, t, None), None);
        assert_eq!(verify(secret, "050471", t, None), Some(now));
        assert_eq!(verify(secret, "050 471", t, None), Some(now));
        assert_eq!(verify(secret, "０５０４７１", t, None), Some(now));
        assert_eq!(verify(secret, "050471", t, Some(now)), None, "reuse");
        assert_eq!(verify(secret, &before, t, Some(now - 1)), None);
        assert_eq!(verify(secret, "05047", t, None), None);
        assert_eq!(verify(secret, "abcdef", t, None), None);
    }

    #[test]
    fn base32_round_trip() {
        // RFC 4648 §10.
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_encode(b"fooba"), "MZXW6YTB");
        assert_eq!(base32_decode("mzxw 6ytb oi==").unwrap(), b"foobar");
        assert!(base32_decode("MZ1W").is_none());
        let s = b"12345678901234567890";
        assert_eq!(base32_decode(&base32_encode(s)).unwrap(), s);
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }

    #[test]
    fn uri() {
        let u = otpauth_uri("よりそい", "sato@1", b"12345678901234567890");
        assert!(u.starts_with("otpauth://totp/%E3%82%88"));
        assert!(u.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"));
        assert!(u.contains(":sato%401?"));
    }

    #[test]
    fn policy() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let optional = Policy {
            mode: Mode::Optional,
            grace_until: Some(d(4, 30)),
        };
        assert_eq!(optional.requirement(false, d(4, 1)), Requirement::None);
        assert_eq!(
            optional.requirement(true, d(4, 30)),
            Requirement::Grace(d(4, 30))
        );
        assert_eq!(optional.requirement(true, d(5, 1)), Requirement::Now);
        let required = Policy {
            mode: Mode::Required,
            grace_until: None,
        };
        assert_eq!(required.requirement(false, d(4, 1)), Requirement::Now);
    }
}
