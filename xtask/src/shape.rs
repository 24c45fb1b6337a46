//! `cargo xtask shape`: the measurable shape of the hand-written code.
//!
//! Two rules keep the code's rooms honest, and a test enforces them:
//! no hand-written function longer than [`MAX_FUNCTION_LINES`], and no two
//! modules of one crate that refer to each other, directly or round a loop.
//! Generated code, tests, examples and benchmarks' data are out of scope.
//!
//! The check reads source text, as rust-analyzer's tidy tests do: comments
//! and literals are blanked out, then braces are matched. That is exact for
//! rustfmt-formatted code, which CI guarantees.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The longest a hand-written function may be, in lines, signature included.
pub const MAX_FUNCTION_LINES: usize = 100;

/// The `src/` directory of every crate whose code is hand-written, and the
/// subdirectories of it that are generated.
const SOURCES: &[(&str, &[&str])] = &[
    ("scim-sdk/src", &["generated"]),
    ("sync/src", &[]),
    ("codegen/src", &[]),
    ("xtask/src", &[]),
    ("tests/fake/src", &[]),
    ("tests/integration/src", &[]),
    ("cli/src", &[]),
    ("bench/src", &[]),
];

/// One function and where it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Function {
    /// Lines from the signature to the closing brace.
    pub lines: usize,
    /// The file, relative to the workspace root.
    pub file: String,
    /// 1-based line of the signature.
    pub line: usize,
    /// The function's name.
    pub name: String,
}

/// What `shape` measured.
#[derive(Debug, Default)]
pub struct Shape {
    /// Every hand-written function outside test modules, longest first.
    pub functions: Vec<Function>,
    /// Every hand-written file with its line count, largest first.
    pub files: Vec<(usize, String)>,
    /// Modules that refer to each other, per crate source directory.
    pub cycles: Vec<(String, Vec<String>)>,
}

impl Shape {
    /// Functions over the limit.
    pub fn too_long(&self) -> Vec<&Function> {
        self.functions
            .iter()
            .filter(|f| f.lines > MAX_FUNCTION_LINES)
            .collect()
    }
}

/// Measures the hand-written code under `root`.
pub fn measure(root: &Path) -> Result<Shape, String> {
    let mut shape = Shape::default();
    for (dir, generated) in SOURCES {
        let src = root.join(dir);
        if !src.is_dir() {
            continue;
        }
        let mut modules: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for path in rust_files(&src, generated)? {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let rel = relative(root, &path);
            let code = blank_comments_and_literals(&text);
            shape.files.push((text.lines().count(), rel.clone()));
            shape.functions.extend(functions(&code, &rel));
            if let Some(module) = top_module(&src, &path) {
                modules
                    .entry(module)
                    .or_default()
                    .extend(crate_references(&code));
            }
        }
        for cycle in cycles(&modules) {
            shape.cycles.push(((*dir).to_owned(), cycle));
        }
    }
    shape.functions.sort_by(|a, b| b.cmp(a));
    shape.files.sort_by(|a, b| b.cmp(a));
    Ok(shape)
}

/// Prints the report; fails when a rule is broken.
pub fn run(root: &Path) -> Result<(), String> {
    let shape = measure(root)?;
    println!("longest hand-written functions (limit {MAX_FUNCTION_LINES} lines):");
    for f in shape.functions.iter().take(10) {
        println!("  {:>4}  {}:{}  {}", f.lines, f.file, f.line, f.name);
    }
    println!("largest hand-written files:");
    for (lines, file) in shape.files.iter().take(10) {
        println!("  {lines:>5}  {file}");
    }
    for (dir, cycle) in &shape.cycles {
        println!(
            "modules of {dir} that refer to each other: {}",
            cycle.join(" ↔ ")
        );
    }
    let too_long = shape.too_long();
    if too_long.is_empty() && shape.cycles.is_empty() {
        println!("no function over the limit, no module cycle");
        Ok(())
    } else {
        Err(format!(
            "{} function(s) over {MAX_FUNCTION_LINES} lines, {} module cycle(s)",
            too_long.len(),
            shape.cycles.len()
        ))
    }
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Every `.rs` file under `dir`, skipping the named subdirectories of it.
fn rust_files(dir: &Path, skip: &[&str]) -> Result<Vec<PathBuf>, String> {
    let mut files = crate::walk::files_under(dir)?;
    files.retain(|path| {
        path.extension().is_some_and(|e| e == "rs")
            && !skip.iter().any(|s| path.starts_with(dir.join(s)))
    });
    Ok(files)
}

/// The crate-level module a file belongs to (`src/a.rs` and `src/a/b.rs`
/// both belong to `a`); `None` for the crate root and binaries.
fn top_module(src: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    match name {
        "lib" | "main" | "bin" => None,
        _ => Some(name.to_owned()),
    }
}

/// The text with comments, string literals and char literals replaced by
/// spaces, newlines kept, so braces and names can be read off safely.
pub fn blank_comments_and_literals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let skipped = match (chars[i], chars.get(i + 1).copied()) {
            ('/', Some('/')) => line_comment(&chars, i),
            ('/', Some('*')) => block_comment(&chars, i),
            ('r', Some('"' | '#')) if raw_string_start(&chars, i).is_some() => {
                raw_string(&chars, i)
            }
            ('"', _) => string(&chars, i),
            ('\'', _) => char_literal(&chars, i),
            _ => None,
        };
        match skipped {
            Some(end) => {
                out.extend(
                    chars[i..end]
                        .iter()
                        .map(|&c| if c == '\n' { '\n' } else { ' ' }),
                );
                i = end;
            }
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

fn line_comment(chars: &[char], start: usize) -> Option<usize> {
    let len = chars[start..].iter().position(|&c| c == '\n');
    Some(len.map_or(chars.len(), |n| start + n))
}

fn block_comment(chars: &[char], start: usize) -> Option<usize> {
    let mut depth = 0;
    let mut i = start;
    while i + 1 < chars.len() {
        match (chars[i], chars[i + 1]) {
            ('/', '*') => {
                depth += 1;
                i += 2;
            }
            ('*', '/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => i += 1,
        }
    }
    Some(chars.len())
}

fn string(chars: &[char], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    Some(chars.len())
}

/// The number of `#` of a raw string starting at `start` (`r"`, `r#"`, …),
/// unless the `r` ends an identifier such as `for`.
fn raw_string_start(chars: &[char], start: usize) -> Option<usize> {
    if start > 0 && (chars[start - 1].is_alphanumeric() || chars[start - 1] == '_') {
        return None;
    }
    let hashes = chars[start + 1..].iter().take_while(|&&c| c == '#').count();
    (chars.get(start + 1 + hashes) == Some(&'"')).then_some(hashes)
}

fn raw_string(chars: &[char], start: usize) -> Option<usize> {
    let hashes = raw_string_start(chars, start)?;
    let mut i = start + 2 + hashes;
    while i < chars.len() {
        if chars[i] == '"' && chars[i + 1..].iter().take(hashes).all(|&c| c == '#') {
            let end = i + 1 + hashes;
            if end <= chars.len() {
                return Some(end);
            }
        }
        i += 1;
    }
    Some(chars.len())
}

/// A char literal (`'x'`, `'\n'`, `'\u{1F600}'`); a lifetime is not one.
fn char_literal(chars: &[char], start: usize) -> Option<usize> {
    match chars.get(start + 1)? {
        '\\' => {
            let close = chars[start + 2..]
                .iter()
                .take(10)
                .position(|&c| c == '\'')?;
            Some(start + 2 + close + 1)
        }
        _ => (chars.get(start + 2) == Some(&'\'')).then_some(start + 3),
    }
}

/// Every function with a body in `code` (already blanked), skipping
/// `#[cfg(test)]` modules.
fn functions(code: &str, file: &str) -> Vec<Function> {
    let lines: Vec<&str> = code.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_start();
        if line.starts_with("#[cfg(test)]")
            && let Some(next) = lines.get(i + 1)
            && next.trim_start().starts_with("mod ")
        {
            i = block_end(&lines, i + 1).map_or(lines.len(), |end| end + 1);
            continue;
        }
        if let Some(name) = function_name(line)
            && let Some(end) = block_end(&lines, i)
        {
            found.push(Function {
                lines: end - i + 1,
                file: file.to_owned(),
                line: i + 1,
                name,
            });
        }
        i += 1;
    }
    found
}

/// The name of the function a line declares, if it declares one.
fn function_name(line: &str) -> Option<String> {
    let mut words = line.split(|c: char| !(c.is_alphanumeric() || c == '_'));
    words.find(|w| *w == "fn")?;
    let name: String = words.find(|w| !w.is_empty())?.to_owned();
    let before_fn = &line[..line.find("fn ")?];
    let declares = before_fn.split_whitespace().all(|w| {
        matches!(
            w,
            "pub" | "const" | "unsafe" | "async" | "extern" | "default"
        ) || w.starts_with("pub(")
            || w.starts_with('"')
    });
    declares.then_some(name)
}

/// The line of the brace closing the first block opened at or after
/// `start`, or `None` when a `;` ends the item before any block opens.
fn block_end(lines: &[&str], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut opened = false;
    for (offset, line) in lines[start..].iter().enumerate() {
        for c in line.chars() {
            match c {
                '{' => {
                    depth += 1;
                    opened = true;
                }
                '}' => depth = depth.saturating_sub(1),
                ';' if !opened => return None,
                _ => {}
            }
            if opened && depth == 0 {
                return Some(start + offset);
            }
        }
    }
    None
}

/// The crate-level modules a file names through `crate::…`.
fn crate_references(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            names.extend(inner.split(',').filter_map(|part| first_word(part.trim())));
        } else if let Some(word) = first_word(rest) {
            names.insert(word);
        }
    }
    names
}

fn first_word(text: &str) -> Option<String> {
    let word: String = text
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!word.is_empty()).then_some(word)
}

/// Groups of modules that reach each other (strongly connected components
/// of more than one module), each sorted.
fn cycles(modules: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reaches = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(m) = stack.pop() {
            for next in modules.get(&m).into_iter().flatten() {
                if modules.contains_key(next) && seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let reach: BTreeMap<&str, BTreeSet<String>> =
        modules.keys().map(|m| (m.as_str(), reaches(m))).collect();
    let mut groups: BTreeSet<Vec<String>> = BTreeSet::new();
    for (m, from_m) in &reach {
        let group: Vec<String> = from_m
            .iter()
            .filter(|other| other.as_str() != *m)
            .filter(|other| reach.get(other.as_str()).is_some_and(|r| r.contains(*m)))
            .cloned()
            .chain(std::iter::once((*m).to_owned()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if group.len() > 1 {
            groups.insert(group);
        }
    }
    groups.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_comments_hide_their_braces() {
        let code = "fn a() { let s = \"}\"; let c = '{'; // }\n let r = r#\"{\"#; /* { */ }\n";
        let found = functions(&blank_comments_and_literals(code), "x.rs");
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].name.as_str(), found[0].lines), ("a", 2));
    }

    #[test]
    fn lifetimes_are_not_char_literals() {
        let code = "fn a<'x>(v: &'x str) -> &'x str {\n    v\n}\n";
        let found = functions(&blank_comments_and_literals(code), "x.rs");
        assert_eq!((found[0].name.as_str(), found[0].lines), ("a", 3));
    }

    #[test]
    fn test_modules_and_declarations_are_skipped() {
        let code =
            "trait T { fn decl(&self); }\n#[cfg(test)]\nmod tests {\n    fn t() {}\n}\nfn b() {}\n";
        let found = functions(&blank_comments_and_literals(code), "x.rs");
        let names: Vec<_> = found.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["b"]);
    }

    #[test]
    fn a_loop_of_references_is_a_cycle() {
        let modules: BTreeMap<String, BTreeSet<String>> = [
            ("a", vec!["b"]),
            ("b", vec!["c"]),
            ("c", vec!["a", "d"]),
            ("d", vec![]),
        ]
        .into_iter()
        .map(|(m, refs)| (m.to_owned(), refs.into_iter().map(str::to_owned).collect()))
        .collect();
        assert_eq!(cycles(&modules), vec![vec!["a", "b", "c"]]);
        assert_eq!(
            crate_references("use crate::{a, b::X};\nlet x = crate::c::f();"),
            ["a", "b", "c"].into_iter().map(str::to_owned).collect()
        );
    }

    /// The rules hold for the whole workspace.
    #[test]
    fn hand_written_code_keeps_its_shape() {
        let shape = measure(&crate::workspace_root()).expect("sources are readable");
        assert!(
            shape.too_long().is_empty(),
            "functions over {MAX_FUNCTION_LINES} lines: {:#?}",
            shape.too_long()
        );
        assert!(shape.cycles.is_empty(), "module cycles: {:?}", shape.cycles);
        assert!(shape.functions.len() > 100, "the walk found the sources");
    }
}
