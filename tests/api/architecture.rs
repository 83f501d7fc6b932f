//! The shape of the crate: which top-level modules (`src/<name>.rs` or
//! `src/<name>/`) name which others. The layering, lowest first:
//!
//! ```text
//! domain                      (nothing of ours)
//! config, telemetry           domain
//! db                          config, domain
//! read                        config, db, domain
//! views                       read, domain
//! mail                        config, db, domain
//! services                    config, db, domain, mail, read
//! tools                       db, domain, mail, services
//! error                       views
//! web                         config, db, domain, error, mail, read, services, views
//! startup, cli                everything above
//! ```
//!
//! The tests read the sources, so a new edge fails here before it tangles the
//! modules: a cycle between any two, or views reaching past read models.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

/// What views may name: the read models and the domain, nothing that queries,
/// writes or serves.
const VIEWS_MAY_USE: [&str; 2] = ["domain", "read"];

#[test]
fn top_level_modules_depend_on_each_other_without_a_cycle() {
    let graph = module_graph();
    assert!(graph.len() > 5, "the sources were read: {graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("the top-level modules form a cycle: {}\nall edges:\n{}", cycle.join(" -> "), describe(&graph));
    }
}

#[test]
fn views_import_only_read_models_and_the_domain() {
    let graph = module_graph();
    let views = graph.get("views").expect("src/views is read");
    let beyond: Vec<&String> = views.iter().filter(|m| !VIEWS_MAY_USE.contains(&m.as_str())).collect();
    assert!(beyond.is_empty(), "views name {beyond:?}; they may use only {VIEWS_MAY_USE:?}");
    for forbidden in ["services", "db", "web", "tools"] {
        assert!(!views.contains(forbidden), "views name {forbidden}");
    }
}

/// Raw HTML reaches a page only as `SafeHtml`, which the sanitiser makes, or which
/// is read back from the column the sanitiser's output is stored in: nothing but the
/// database layer may claim that a string came from that column.
#[test]
fn only_the_database_layer_turns_a_stored_column_into_safe_html() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut callers: Vec<String> = rust_files(&src, 0)
        .into_iter()
        .map(|(path, _)| path)
        .filter(|path| {
            let code = without_comments_and_strings(&std::fs::read_to_string(path).expect("a source file"));
            code.contains("from_stored_column")
        })
        .map(|path| path.strip_prefix(&src).expect("under src").display().to_string())
        .collect();
    callers.sort();
    assert_eq!(callers, ["db/types.rs", "domain/markdown.rs"], "where SafeHtml::from_stored_column appears");
    for path in rust_files(&src, 0).into_iter().map(|(path, _)| path) {
        let code = without_comments_and_strings(&std::fs::read_to_string(&path).expect("a source file"));
        assert!(!code.contains("PreEscaped"), "{} writes unescaped HTML with PreEscaped", path.display());
    }
}

#[test]
fn references_are_found_in_paths_and_use_groups_but_not_in_comments_or_strings() {
    let source = r##"
        use crate::db::{self, AnyConnection};
        use crate::{domain::time, mail::{Email, MailContext}, read};
        // use crate::web::nothing;
        /* crate::tools /* nested */ crate::cli */
        /// crate::startup in a doc comment
        let s = "crate::error";
        let r = r#"crate::telemetry"#;
        let c = '"'; let lifetime: &'static str = "";
        fn f() { crate::config::redact_password(""); super::super::services::x(); }
    "##;
    let names = referenced_modules(source, 2);
    let expected: BTreeSet<String> =
        ["config", "db", "domain", "mail", "read", "services"].into_iter().map(String::from).collect();
    assert_eq!(names, expected);
    assert!(referenced_modules("use super::super::services;", 3).is_empty(), "a grandparent inside a module");
}

/// Every top-level module with the others it names (main.rs and lib.rs are not modules).
fn module_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph = Graph::new();
    let entries = std::fs::read_dir(&src).expect("src/ can be listed");
    for entry in entries {
        let path = entry.expect("a src/ entry").path();
        let name = path.file_stem().and_then(|s| s.to_str()).expect("a file name").to_owned();
        let is_rust = path.extension().is_some_and(|e| e == "rs");
        if (is_rust && (name == "main" || name == "lib")) || (!is_rust && !path.is_dir()) {
            continue;
        }
        let uses = graph.entry(name.clone()).or_default();
        for (file, depth) in rust_files(&path, 1) {
            let source = std::fs::read_to_string(&file).expect("a source file is readable");
            uses.extend(referenced_modules(&source, depth));
        }
        uses.remove(&name);
    }
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for uses in graph.values_mut() {
        uses.retain(|m| modules.contains(m));
    }
    graph
}

/// The Rust files of a module, each with how deep its module sits below the crate
/// root (`src/db/mod.rs` is 1, `src/db/pool.rs` 2).
fn rust_files(path: &Path, depth: usize) -> Vec<(PathBuf, usize)> {
    if path.is_file() {
        let is_mod = path.file_name().is_some_and(|n| n == "mod.rs");
        return vec![(path.to_owned(), if is_mod { depth - 1 } else { depth })];
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).expect("a module folder can be listed") {
        let child = entry.expect("an entry").path();
        if child.is_dir() || child.extension().is_some_and(|e| e == "rs") {
            files.extend(rust_files(&child, depth + 1));
        }
    }
    files
}

/// The first segment after each `crate::` (and each element of a `crate::{...}`
/// group), and after a `super::` chain that climbs to the crate root from a module
/// `depth` levels down. Comments and string literals are skipped.
fn referenced_modules(source: &str, depth: usize) -> BTreeSet<String> {
    let code = without_comments_and_strings(source);
    let mut names = BTreeSet::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !is_ident(bytes[i - 1]);
        if starts_word && bytes[i..].starts_with(b"crate::") {
            i += "crate::".len();
            i = path_heads(&code, i, &mut names);
        } else if starts_word && bytes[i..].starts_with(b"super::") {
            let mut climbed = 0;
            while bytes[i..].starts_with(b"super::") {
                climbed += 1;
                i += "super::".len();
            }
            if climbed >= depth {
                i = path_heads(&code, i, &mut names);
            }
        } else {
            i += 1;
        }
    }
    names
}

/// Reads the head segment(s) of the path starting at `i`: one identifier, or each
/// element's first identifier in a `{...}` group. Returns where reading stopped.
fn path_heads(code: &str, mut i: usize, names: &mut BTreeSet<String>) -> usize {
    let bytes = code.as_bytes();
    if bytes.get(i) != Some(&b'{') {
        let start = i;
        while i < bytes.len() && is_ident(bytes[i]) {
            i += 1;
        }
        if i > start {
            names.insert(code[start..i].to_owned());
        }
        return i;
    }
    let mut depth = 0;
    let mut element_start = true;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                depth += 1;
                if depth == 1 {
                    element_start = true;
                }
            }
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b',' if depth == 1 => element_start = true,
            b if depth == 1 && element_start && is_ident(b) => {
                let start = i;
                while i < bytes.len() && is_ident(bytes[i]) {
                    i += 1;
                }
                names.insert(code[start..i].to_owned());
                element_start = false;
                continue;
            }
            b if !b.is_ascii_whitespace() => element_start = false,
            _ => {}
        }
        i += 1;
    }
    i
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The source with comments (line, nested block, doc) and the insides of string,
/// raw string and char literals blanked out.
fn without_comments_and_strings(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r'
            && (at(i + 1) == '"' || (at(i + 1) == '#' && matches!(at(i + 2), '"' | '#')))
            && (i == 0 || !is_ident(chars[i - 1] as u8))
        {
            let mut hashes = 0;
            i += 1;
            while at(i) == '#' {
                hashes += 1;
                i += 1;
            }
            i += 1; // the opening quote
            let closes = |i: usize| at(i) == '"' && (1..=hashes).all(|h| at(i + h) == '#');
            while i < chars.len() && !closes(i) {
                i += 1;
            }
            i += 1 + hashes;
            out.push_str("\"\"");
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && (at(i + 1) == '\\' || at(i + 2) == '\'') {
            // A char literal ('x', '\n', '\''); a lifetime ('a) has no closing quote.
            i += if at(i + 1) == '\\' { 3 } else { 2 };
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
            out.push_str("' '");
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// A path `a -> b -> ... -> a` when the graph has a cycle.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Unseen,
        OnPath,
        Done,
    }
    fn visit(
        node: &str,
        graph: &Graph,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        marks.insert(node.to_owned(), Mark::OnPath);
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            match marks.get(next).copied().unwrap_or(Mark::Unseen) {
                Mark::OnPath => {
                    let start = path.iter().position(|n| n == next).unwrap_or(0);
                    let mut cycle = path[start..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Mark::Unseen => {
                    if let Some(cycle) = visit(next, graph, marks, path) {
                        return Some(cycle);
                    }
                }
                Mark::Done => {}
            }
        }
        path.pop();
        marks.insert(node.to_owned(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in graph.keys() {
        if marks.get(node).copied().unwrap_or(Mark::Unseen) == Mark::Unseen {
            if let Some(cycle) = visit(node, graph, &mut marks, &mut Vec::new()) {
                return Some(cycle);
            }
        }
    }
    None
}

fn describe(graph: &Graph) -> String {
    graph
        .iter()
        .map(|(module, uses)| format!("  {module} -> {}", uses.iter().cloned().collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_cycle_is_found_and_shown() {
    let graph: Graph = [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"]), ("d", vec!["a"])]
        .into_iter()
        .map(|(m, uses)| (m.to_owned(), uses.into_iter().map(String::from).collect()))
        .collect();
    assert_eq!(find_cycle(&graph), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    let mut acyclic = graph.clone();
    acyclic.insert("c".into(), BTreeSet::new());
    assert_eq!(find_cycle(&acyclic), None);
}
