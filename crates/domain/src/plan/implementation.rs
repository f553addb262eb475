//! 実施 (DOMAIN.md §3.6): per row of a final plan, the provider chosen, the contract, and the
//! provider's 個別支援計画 received as a file.

use crate::client::optional_date;
use crate::errors::FieldErrors;
use crate::text;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ImplementationRecord {
    pub provider: String,
    pub service_type: String,
    /// サービス管理責任者 (or 児童発達支援管理責任者).
    pub manager: String,
    pub contact: String,
    pub contract_on: Option<NaiveDate>,
    /// The day the provider's 個別支援計画 arrived.
    pub ipp_received_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ImplementationInput {
    pub provider: String,
    pub service_type: String,
    pub manager: String,
    pub contact: String,
    /// 契約日, or empty. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub contract_on: String,
    /// The day the provider's 個別支援計画 arrived, or empty. Accepts 西暦 (2026-04-01, 2026/4/1) or 和暦 (令和8年4月1日, R8.4.1).
    pub ipp_received_on: String,
}

impl ImplementationInput {
    pub fn validate(&self, today: NaiveDate) -> Result<ImplementationRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let provider = text::required_line(&mut e, "provider", &self.provider, 100);
        let service_type = text::optional_line(&mut e, "service_type", &self.service_type, 60);
        let manager = text::optional_line(&mut e, "manager", &self.manager, 60);
        let contact = text::optional_line(&mut e, "contact", &self.contact, 100);
        let contract_on = optional_date(&mut e, "contract_on", &self.contract_on);
        let ipp_received_on = optional_date(&mut e, "ipp_received_on", &self.ipp_received_on);
        for (f, d) in [
            ("contract_on", contract_on),
            ("ipp_received_on", ipp_received_on),
        ] {
            if d.is_some_and(|d| d > today) {
                e.add(f, "未来の日付になっています。");
            }
        }
        e.into_result(ImplementationRecord {
            provider,
            service_type,
            manager,
            contact,
            contract_on,
            ipp_received_on,
        })
    }

    pub fn from_record(r: &ImplementationRecord) -> Self {
        let d = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        ImplementationInput {
            provider: r.provider.clone(),
            service_type: r.service_type.clone(),
            manager: r.manager.clone(),
            contact: r.contact.clone(),
            contract_on: d(r.contract_on),
            ipp_received_on: d(r.ipp_received_on),
        }
    }
}

/// The largest file accepted (a scanned plan of a few pages).
pub const MAX_UPLOAD: usize = 10 * 1024 * 1024;

/// The type of an uploaded file, read from its first bytes (never from its name or the
/// browser's claim): PDF, PNG or JPEG only.
pub fn sniff_upload(bytes: &[u8]) -> Result<&'static str, String> {
    if bytes.is_empty() {
        return Err("ファイルが空です。選び直してください。".into());
    }
    if bytes.len() > MAX_UPLOAD {
        return Err(format!(
            "ファイルが大きすぎます（{:.1}MB）。10MBまでにしてください（スキャンの解像度を下げると小さくなります）。",
            bytes.len() as f64 / 1024.0 / 1024.0
        ));
    }
    if bytes.starts_with(b"%PDF-") {
        Ok("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok("image/jpeg")
    } else {
        Err("PDF・PNG・JPEGのファイルだけ登録できます。".into())
    }
}

/// A file name safe to store and to send back: no path, no control characters, at most 100
/// characters, with an extension that matches the type.
pub fn clean_filename(raw: &str, content_type: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let mut name: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*'))
        .take(100)
        .collect();
    let ext = match content_type {
        "application/pdf" => ".pdf",
        "image/png" => ".png",
        _ => ".jpg",
    };
    let lower = name.to_lowercase();
    let has_ext = lower.ends_with(ext) || (ext == ".jpg" && lower.ends_with(".jpeg"));
    if name.trim().is_empty() {
        name = "個別支援計画".into();
    }
    if !has_ext {
        name.push_str(ext);
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pdf_png_and_jpeg_by_their_bytes() {
        assert_eq!(sniff_upload(b"%PDF-1.7\n...").unwrap(), "application/pdf");
        assert_eq!(
            sniff_upload(&[0xFF, 0xD8, 0xFF, 0xE0]).unwrap(),
            "image/jpeg"
        );
        assert!(sniff_upload(b"<html><script>").is_err());
        assert!(sniff_upload(b"").is_err());
        assert!(sniff_upload(&vec![b'%'; MAX_UPLOAD + 1]).is_err());
    }

    #[test]
    fn file_names_lose_paths_and_get_the_right_extension() {
        assert_eq!(
            clean_filename("C:\\scan\\個別支援計画.pdf", "application/pdf"),
            "個別支援計画.pdf"
        );
        assert_eq!(
            clean_filename("../../etc/passwd", "image/png"),
            "passwd.png"
        );
        assert_eq!(clean_filename("", "image/jpeg"), "個別支援計画.jpg");
    }

    #[test]
    fn a_chosen_provider_is_required_and_dates_are_not_in_the_future() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let i = ImplementationInput {
            contract_on: "令和8年7月1日".into(),
            ..Default::default()
        };
        let e = i.validate(today).unwrap_err();
        assert!(e.get("provider").is_some() && e.get("contract_on").is_some());
    }
}
