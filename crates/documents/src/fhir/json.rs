//! Small helpers for FHIR JSON: FHIR has no empty values (a string is never "", an array never
//! []), so resources are written freely and pruned once.

use serde_json::{Value, json};

/// Removes nulls, empty strings, empty arrays and empty objects (after their own pruning), and
/// trims every string.
pub fn prune(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for x in m.values_mut() {
                prune(x);
            }
            m.retain(|_, x| !is_empty(x));
        }
        Value::Array(a) => {
            for x in a.iter_mut() {
                prune(x);
            }
            a.retain(|x| !is_empty(x));
        }
        Value::String(s) => {
            let t = s.trim();
            if t.len() != s.len() {
                *s = t.to_string();
            }
        }
        _ => {}
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        _ => false,
    }
}

/// An annotation 「label：text」, or nothing when the text is empty.
pub fn note(label: &str, text: &str) -> Value {
    let t = text.trim();
    if t.is_empty() {
        Value::Null
    } else {
        json!({"text": format!("{label}：{t}")})
    }
}

/// A CodeableConcept of text alone (yorisoi's code lists have no published code system).
pub fn concept(text: &str) -> Value {
    json!({"text": text})
}

/// A contact as a ContactPoint: a telephone number when it reads as one, otherwise as it was
/// written (system `other`).
pub fn telecom(contact: &str) -> Value {
    let c = contact.trim();
    if c.is_empty() {
        return Value::Null;
    }
    let digits = c.chars().filter(|ch| ch.is_ascii_digit()).count()
        + c.chars().filter(|ch| ('０'..='９').contains(ch)).count();
    let phone_like = c.chars().all(|ch| {
        ch.is_ascii_digit()
            || ('０'..='９').contains(&ch)
            || matches!(ch, '-' | '－' | 'ー' | '(' | ')' | '（' | '）' | ' ' | '+')
    });
    let system = if phone_like && digits >= 6 {
        "phone"
    } else if c.contains('@') && !c.contains(' ') {
        "email"
    } else {
        "other"
    };
    json!({"system": system, "value": c})
}

/// A name without what is written in brackets: 「青木 実（兄）」 → 「青木 実」, and what the
/// brackets said (「兄」).
pub fn split_bracket(name: &str) -> (String, String) {
    let mut outside = String::new();
    let mut inside = String::new();
    let mut depth = 0u32;
    for c in name.chars() {
        match c {
            '（' | '(' => {
                if depth > 0 {
                    inside.push(c);
                }
                depth += 1;
            }
            '）' | ')' => {
                depth = depth.saturating_sub(1);
                if depth > 0 {
                    inside.push(c);
                }
            }
            _ if depth > 0 => inside.push(c),
            _ => outside.push(c),
        }
    }
    let outside = outside.trim().to_string();
    if outside.is_empty() {
        (name.trim().to_string(), String::new())
    } else {
        (outside, inside.trim().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_are_left_out() {
        let mut v = json!({"a": "", "b": [], "c": {"d": null, "e": [""]}, "f": " x ", "g": 0});
        prune(&mut v);
        assert_eq!(v, json!({"f": "x", "g": 0}));
    }

    #[test]
    fn contacts_become_contact_points() {
        assert_eq!(telecom("090-1234-5678")["system"], "phone");
        assert_eq!(telecom("０９０（１２３４）５６７８")["system"], "phone");
        assert_eq!(telecom("a@example.jp")["system"], "email");
        assert_eq!(telecom("N市役所 障害福祉課 内線12")["system"], "other");
        assert!(telecom(" ").is_null());
    }

    #[test]
    fn brackets_hold_the_relation() {
        assert_eq!(
            split_bracket("青木 実（兄）"),
            ("青木 実".to_string(), "兄".to_string())
        );
        assert_eq!(
            split_bracket("森 和也"),
            ("森 和也".to_string(), String::new())
        );
        assert_eq!(
            split_bracket("（母）"),
            ("（母）".to_string(), String::new())
        );
    }
}
