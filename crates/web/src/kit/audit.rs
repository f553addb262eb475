//! The audit log's vocabulary as shown (操作 and 対象 in Japanese), and the filter a search of it
//! is read into: shared by the admin page and the API.

use chrono::{DateTime, Utc};
use yorisoi_domain::FieldErrors;
use yorisoi_store::audit::AuditFilter;

/// The actions written to the log, with their labels, in the order they are offered.
pub const ACTIONS: &[(&str, &str)] = &[
    ("read", "閲覧"),
    ("list", "一覧・検索"),
    ("create", "登録"),
    ("update", "更新"),
    ("delete", "削除"),
    ("assign", "担当変更"),
    ("stage", "段階の変更"),
    ("status", "利用者の状態の変更"),
    ("close", "終結"),
    ("sign_in", "サインイン"),
    ("sign_out", "サインアウト"),
    ("sign_in_failed", "サインイン失敗"),
    ("sign_in_throttled", "サインイン制限"),
    ("sign_in_new_device", "新しい端末からのサインイン"),
    ("sign_in_unlock", "サインイン制限の解除"),
    ("second_factor_failed", "二段階認証の失敗"),
    ("second_factor_enrol", "二段階認証の設定"),
    ("second_factor_disable", "二段階認証の無効化"),
    ("second_factor_recovery", "回復コードの再発行"),
    ("second_factor_recovery_used", "回復コードでのサインイン"),
    ("second_factor_policy", "二段階認証の方針の変更"),
    ("password_change", "パスワードの変更"),
    ("password_reset", "パスワードの再設定（管理者）"),
    ("session_end", "セッションの終了"),
    ("form_parked", "ログイン切れの入力を保管"),
    ("form_restored", "保管した入力を保存し直し"),
    ("form_discarded", "保管した入力を破棄"),
    ("sessions_end_others", "ほかのセッションをすべて終了"),
    ("sessions_end_all", "職員のセッションをすべて終了（管理者）"),
    ("activate", "職員の有効化"),
    ("deactivate", "職員の無効化"),
    ("issue", "トークン発行"),
    ("revoke", "トークン失効"),
    ("state", "計画の状態の変更"),
    ("consent", "同意の記録"),
    ("handover", "交付の記録"),
    ("withdraw", "同意の撤回"),
    ("upload", "ファイルの登録"),
    ("download", "ファイルの取得"),
    ("print", "印刷・出力（PDF）"),
    ("export", "書き出し（FHIR など）"),
    ("disclose", "外部メンバーへの開示"),
    ("disclose_person", "本人開示"),
    ("invite", "外部メンバーの招待"),
    ("join", "招待による連携"),
    ("unlink", "外部メンバーの連携解除"),
    ("share", "書類の共有"),
    ("receive", "共有した書類の受領"),
    ("unshare", "書類の共有の取り消し"),
    ("provider_report", "事業所からのサービス提供状況の報告"),
    ("dashboard", "ダッシュボード閲覧"),
    ("link_case", "ケースとの関連付け"),
    ("release", "公開"),
    ("people", "人数の集計"),
    ("counts", "件数の集計"),
    ("import", "利用者台帳の取り込み"),
    ("import_check", "取り込みの確認"),
    ("retention", "保存期間の設定"),
    ("second_factor_reset", "二段階認証のリセット（管理者）"),
    ("merge", "地域課題の統合"),
    ("read_issue", "地域課題の閲覧"),
    ("list_issues", "地域課題の一覧"),
    ("link_resource", "社会資源との関連付け"),
    ("list_by_resource", "社会資源ごとの地域課題"),
    ("set_unused", "分類を使わない設定"),
    ("create_vignette", "個別事例の作成"),
    ("read_vignette", "個別事例の閲覧"),
    ("update_vignette", "個別事例の更新"),
    ("list_vignettes", "個別事例の一覧"),
    ("release_vignette", "個別事例の公開"),
    ("released_vignettes", "公開した個別事例の一覧"),
    ("create_joint_support", "共同支援の記録の作成"),
    ("read_joint_support", "共同支援の記録の閲覧"),
    ("update_joint_support", "共同支援の記録の更新"),
    ("delete_joint_support", "共同支援の記録の削除"),
    ("list_joint_support", "共同支援の記録の一覧"),
    ("list_released", "公開された地域課題の一覧（圏域）"),
    ("track", "協議会での扱いの記録"),
    ("figures", "圏域の集計"),
    ("council_news", "協議会からの知らせ"),
    ("leave", "圏域からの脱退"),
    ("refused_read", "閲覧の拒否"),
    ("refused_write", "変更の拒否"),
];

/// A checkpoint's time (RFC 3339, UTC) as the rest of the screen shows times.
pub fn checkpoint_time(at: &str) -> String {
    DateTime::parse_from_rfc3339(at)
        .map(|t| jst(t.with_timezone(&Utc)))
        .unwrap_or_else(|_| at.to_string())
}

/// An event's detail as read on the screen: the ids of the clients a list showed
/// (`shown=,3,17,`) become a count and the first few ids.
pub fn detail_label(detail: &str) -> String {
    let Some((before, ids)) = detail.split_once("shown=,") else {
        return detail.to_string();
    };
    let ids: Vec<&str> = ids.split(',').filter(|s| !s.is_empty()).collect();
    let first: Vec<&str> = ids.iter().take(10).copied().collect();
    let more = if ids.len() > first.len() { " …" } else { "" };
    format!(
        "{}表示した利用者 {}人（ID {}{more}）",
        before,
        ids.len(),
        first.join(", ")
    )
}

#[cfg(test)]
mod detail_tests {
    #[test]
    fn shown_clients_read_as_a_count() {
        assert_eq!(
            super::detail_label("q=佐藤 shown=,3,17,"),
            "q=佐藤 表示した利用者 2人（ID 3, 17）"
        );
        assert_eq!(super::detail_label("members"), "members");
        let many = format!(
            "shown=,{}",
            (1..=12).map(|i| format!("{i},")).collect::<String>()
        );
        assert!(super::detail_label(&many).ends_with("12人（ID 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 …）"));
    }

    /// Every action the store and the web layer write to the log reads in Japanese on the audit
    /// screen and in a 本人開示 (found in the sources: `record(` followed by the action's literal).
    #[test]
    fn every_logged_action_has_a_label() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut missing = Vec::new();
        for dir in ["store/src", "web/src"] {
            let mut stack = vec![root.join(dir)];
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d).unwrap() {
                    let p = e.unwrap().path();
                    if p.is_dir() {
                        stack.push(p);
                        continue;
                    }
                    let text = std::fs::read_to_string(&p).unwrap();
                    for (at, _) in text.match_indices("record(") {
                        // Only the unit of work's log (`tx.record(`), not a tracing span's.
                        let before = text[..at].trim_end_matches(['.', ' ', '\n']);
                        if !(before.ends_with("tx") || before.ends_with("self")) {
                            continue;
                        }
                        let rest = text[at + 7..].trim_start();
                        let Some(rest) = rest.strip_prefix('"') else {
                            continue;
                        };
                        let code: String = rest.chars().take_while(|c| *c != '"').collect();
                        if code.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                            && !code.is_empty()
                            && !super::ACTIONS.iter().any(|(c, _)| *c == code)
                        {
                            missing.push(format!("{code} ({})", p.display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "no label: {missing:?}");
    }
}

pub fn action_label(a: &str) -> String {
    ACTIONS
        .iter()
        .find(|(c, _)| *c == a)
        .map(|(_, l)| l.to_string())
        .unwrap_or_else(|| a.to_string())
}

pub fn kind_label(k: &str) -> &'static str {
    match k {
        "ledger" => "利用者台帳",
        "certificate" => "受給者証",
        "case" => "支援ケース",
        "case_note" => "支援経過記録",
        "assessment" => "アセスメント",
        "plan" => "サービス等利用計画",
        "meeting" => "サービス担当者会議",
        "monitoring" => "モニタリング",
        "decision_support" => "意思決定支援",
        "care_team" => "ケアチーム・情報提供の同意",
        "resource" => "社会資源",
        "assignment" => "担当",
        "staff" => "職員",
        "audit_log" => "操作記録",
        "api_token" => "APIトークン",
        "session" => "セッション",
        "second_factor" => "二段階認証",
        "account" => "自分のアカウント",
        "regional_issue" => "地域課題",
        "issue_release" => "地域課題の公開",
        "issue_category_list" => "地域課題の分類",
        "region_view" => "圏域",
        "region_membership" => "圏域への参加",
        _ => "",
    }
}

/// A UTC instant shown as Japanese time.
pub fn jst(t: DateTime<Utc>) -> String {
    crate::kit::display::datetime((t + chrono::Duration::hours(9)).naive_utc())
}

/// The filters of a search of the log, as typed.
#[derive(Debug, Default, Clone)]
pub struct AuditSearch<'a> {
    pub user: &'a str,
    pub client: &'a str,
    pub action: &'a str,
    pub from: &'a str,
    pub until: &'a str,
}

impl AuditSearch<'_> {
    /// The store's filter for `page` (0-based); a date that cannot be read is left out of the
    /// filter and its message returned by field (`from`, `until`). An unknown staff member,
    /// client or action filters nothing out, as the page always did.
    pub fn filter(&self, page: u64, per_page: u64) -> (AuditFilter, FieldErrors) {
        let mut errors = FieldErrors::new();
        let from = day_start(&mut errors, "from", self.from);
        let until =
            day_start(&mut errors, "until", self.until).map(|t| t + chrono::Duration::days(1));
        let filter = AuditFilter {
            user_id: self.user.trim().parse().ok(),
            client_id: self.client.trim().parse().ok(),
            action: ACTIONS
                .iter()
                .find(|(c, _)| *c == self.action.trim())
                .map(|(c, _)| c.to_string()),
            from,
            until,
            page,
            per_page,
        };
        (filter, errors)
    }
}

/// 00:00 of a Japanese day (西暦 or 和暦) as UTC: 15:00 the day before.
fn day_start(errors: &mut FieldErrors, field: &str, s: &str) -> Option<DateTime<Utc>> {
    if s.trim().is_empty() {
        return None;
    }
    match yorisoi_domain::date::parse_date(s) {
        Ok(d) => d
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc() - chrono::Duration::hours(9)),
        Err(e) => {
            errors.add(field, format!("期間: {e}"));
            None
        }
    }
}

/// The result of checking the hash chain: a message to show, and whether the chain is whole.
pub fn chain_message(v: &yorisoi_store::audit::Verification) -> (String, bool) {
    if let Some((seq, why)) = &v.broken {
        return (
            format!(
                "改ざん検知: 第{seq}件目で記録の連鎖が壊れています（{why}）。システム管理者に連絡してください。"
            ),
            false,
        );
    }
    if !v.problems.is_empty() {
        return (
            format!(
                "改ざん検知: {}。システム管理者に連絡してください。",
                v.problems.join("。")
            ),
            false,
        );
    }
    let mut m = format!(
        "改ざん検知: {}件すべての記録の連鎖が正しいことを確認しました",
        v.events
    );
    if let Some(c) = &v.last_checkpoint {
        m.push_str(&format!(
            "（署名付きチェックポイント {}件と一致、最新は {} 時点の {}件目）",
            v.checkpoints,
            checkpoint_time(&c.at),
            c.seq
        ));
    }
    if v.unkeyed > 0 {
        m.push_str(&format!(
            "。うち最初の{}件は鍵の導入前の記録です",
            v.unkeyed
        ));
    }
    m.push('。');
    (m, true)
}
