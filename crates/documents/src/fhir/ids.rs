//! Stable identities: every resource's id is a name-based UUID (RFC 9562 version 5) of the office
//! and the record it comes from, so two exports of the same records are byte for byte the same
//! and a resource keeps its `urn:uuid:` from one export to the next.

use sha1::{Digest, Sha1};

/// yorisoi's namespace for the names below (a version-5 UUID of the URL namespace and
/// "yorisoi:fhir", fixed once).
const NAMESPACE: [u8; 16] = [
    0x5b, 0x0e, 0x3f, 0x6a, 0x1c, 0x2d, 0x5e, 0x7f, 0x8a, 0x9b, 0x4c, 0x3d, 0x2e, 0x1f, 0x60, 0x71,
];

/// The version-5 UUID of `name` in `namespace`, as its 36-character text.
pub fn uuid5(namespace: &[u8; 16], name: &str) -> String {
    let mut h = Sha1::new();
    h.update(namespace);
    h.update(name.as_bytes());
    let digest = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The resources of one office: each name is "office/{id}/{what}".
#[derive(Debug, Clone, Copy)]
pub struct Ids {
    pub office_id: i64,
}

impl Ids {
    /// The UUID of `what` in this office.
    pub fn uuid(&self, what: &str) -> String {
        uuid5(&NAMESPACE, &format!("office/{}/{what}", self.office_id))
    }

    /// `urn:uuid:…` of `what`: a bundle entry's fullUrl, and how other entries refer to it.
    pub fn urn(&self, what: &str) -> String {
        format!("urn:uuid:{}", self.uuid(what))
    }

    /// The system of the office's own identifiers (its client numbers).
    pub fn system(&self) -> String {
        self.urn("identifiers")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_5_as_the_rfc_computes_it() {
        // The DNS namespace and "python.org": the example every UUID library checks against.
        let dns = [
            0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4,
            0x30, 0xc8,
        ];
        assert_eq!(
            uuid5(&dns, "python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d"
        );
    }

    #[test]
    fn the_same_record_has_the_same_id_and_offices_differ() {
        let a = Ids { office_id: 1 };
        let b = Ids { office_id: 2 };
        assert_eq!(a.urn("patient/7"), a.urn("patient/7"));
        assert_ne!(a.urn("patient/7"), b.urn("patient/7"));
        assert_ne!(a.urn("patient/7"), a.urn("patient/8"));
        assert!(a.urn("patient/7").starts_with("urn:uuid:"));
        assert_eq!(a.uuid("x").len(), 36);
    }
}
