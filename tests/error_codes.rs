//! Every code the core can raise is documented in ERRORS.md and listed in the `ErrorCode` union
//! of the TypeScript declarations, so a JS caller can switch on it.

use helpdesk_oauth::core::error::ErrorCode;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The file that declares `export type ErrorCode` (pkg-templates/core.d.ts today; found by
/// content, so the check follows the declaration if the files are reorganised).
fn error_code_union() -> String {
    fn walk(dir: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs" || e == "ts") {
                let text = std::fs::read_to_string(&path).unwrap();
                if let Some(start) = text.find("export type ErrorCode") {
                    let rest = &text[start..];
                    found.push(rest[..rest.find(';').unwrap_or(rest.len())].to_string());
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(&root().join("src"), &mut found);
    walk(&root().join("pkg-templates"), &mut found);
    assert_eq!(found.len(), 1, "exactly one `export type ErrorCode` under src/ and pkg-templates/");
    found.remove(0)
}

#[test]
fn every_code_is_documented_and_typed() {
    let errors_md = std::fs::read_to_string(root().join("ERRORS.md")).unwrap();
    let union = error_code_union();
    for code in ErrorCode::ALL {
        let code = code.as_str();
        assert!(errors_md.contains(&format!("| `{code}` |")), "{code} has no row in ERRORS.md");
        assert!(union.contains(&format!("\"{code}\"")), "{code} is missing from the ErrorCode union");
    }
}
