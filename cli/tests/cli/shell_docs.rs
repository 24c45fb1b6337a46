//! The binary's name, and what it prints for packagers: `completions SHELL`
//! and `man`. Neither connects to anything.

use crate::common::{run, scim, temp_file};

#[test]
fn version_and_usage_name_the_binary_genesys_scim() {
    let r = run(scim().arg("--version"));
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.stdout,
        format!("genesys-scim {}\n", env!("CARGO_PKG_VERSION"))
    );
    let r = run(scim().arg("--help"));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("Usage: genesys-scim "), "{}", r.stdout);
}

#[test]
fn each_shell_gets_a_script_that_completes_the_binary_and_its_commands() {
    for (shell, marker) in [
        ("bash", "-o bashdefault -o default genesys-scim"),
        ("zsh", "#compdef genesys-scim"),
        ("fish", "complete -c genesys-scim"),
        (
            "powershell",
            "Register-ArgumentCompleter -Native -CommandName 'genesys-scim'",
        ),
        ("elvish", "edit:completion:arg-completer[genesys-scim]"),
    ] {
        let r = run(scim().args(["completions", shell]));
        assert_eq!(r.code, 0, "{shell}: {r:?}");
        assert!(r.stderr.is_empty(), "{shell}: {}", r.stderr);
        assert!(
            r.stdout.contains(marker),
            "{shell}: no `{marker}` in\n{}",
            r.stdout
        );
        for word in [
            "sync",
            "apply",
            "export",
            "completions",
            "--fake",
            "--base-url",
        ] {
            assert!(
                r.stdout.contains(word),
                "{shell}: no `{word}` in\n{}",
                r.stdout
            );
        }
    }
}

#[test]
fn the_bash_script_is_valid_bash() {
    let r = run(scim().args(["completions", "bash"]));
    assert_eq!(r.code, 0, "{r:?}");
    let path = temp_file("genesys-scim.bash");
    std::fs::write(&path, &r.stdout).unwrap();
    let status = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .status()
        .expect("bash runs");
    assert!(status.success(), "bash -n rejected the script");
}

#[test]
fn an_unknown_shell_is_a_usage_error_listing_the_shells() {
    let r = run(scim().args(["completions", "tcsh"]));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stdout.is_empty());
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        assert!(r.stderr.contains(shell), "{}", r.stderr);
    }
}

#[test]
fn the_man_page_is_roff_covering_the_commands_and_options() {
    let r = run(scim().arg("man"));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    assert!(
        r.stdout.starts_with(".ie \\n(.g .ds Aq \\(aq"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(".TH genesys-scim 1 "), "{}", r.stdout);
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH OPTIONS",
        ".SH COMMANDS",
    ] {
        assert!(r.stdout.contains(section), "no {section} in\n{}", r.stdout);
    }
    // What scripts and operators look up: the variables read, the exit codes.
    let environment = r
        .stdout
        .find(".SH ENVIRONMENT")
        .expect("an ENVIRONMENT section");
    let exit_status = r
        .stdout
        .find(".SH \"EXIT STATUS\"")
        .expect("an EXIT STATUS section");
    let version = r.stdout.find(".SH VERSION").expect("a VERSION section");
    assert!(
        environment < exit_status && exit_status < version,
        "{}",
        r.stdout
    );
    for variable in [
        "GENESYS_REGION",
        "GENESYS_CLIENT_ID",
        "GENESYS_CLIENT_SECRET",
        "GENESYS_TOKEN",
    ] {
        assert!(
            r.stdout[environment..exit_status].contains(variable),
            "no {variable}"
        );
    }
    for code in [0, 1, 2, 3, 4, 5, 130] {
        let entry = format!(".TP\n\\fB{code}\\fR\n");
        assert!(
            r.stdout[exit_status..version].contains(&entry),
            "no exit code {code} in\n{}",
            r.stdout
        );
    }
    // roff writes a dash as `\-`.
    for word in ["\\-\\-fake", "\\-\\-region"] {
        assert!(r.stdout.contains(word), "no `{word}` in\n{}", r.stdout);
    }
}

#[test]
fn the_man_page_gives_every_command_its_options_and_names_no_page_not_installed() {
    let r = run(scim().arg("man"));
    assert_eq!(r.code, 0, "{r:?}");
    let page = &r.stdout;
    // The package installs one page: genesys-scim(1).
    assert!(!page.contains("genesys\\-scim\\-sync(1)"), "{page}");
    let commands = page.find(".SH COMMANDS").expect("a COMMANDS section");
    let environment = page
        .find(".SH ENVIRONMENT")
        .expect("an ENVIRONMENT section");
    assert!(commands < environment, "{page}");
    let commands = &page[commands..environment];
    for (command, options) in [
        (
            "genesys\\-scim sync apply",
            &[
                "\\-\\-plan",
                "\\-\\-expect\\-fingerprint",
                "\\-\\-max\\-plan\\-age",
                "\\-\\-audit\\-log",
                "\\-\\-yes",
            ][..],
        ),
        (
            "genesys\\-scim sync plan",
            &["\\-\\-out", "\\-\\-exit\\-code", "\\-\\-state"],
        ),
        (
            "genesys\\-scim users set\\-external\\-id",
            &["USER", "EXTERNAL_ID"],
        ),
        ("genesys\\-scim users list", &["\\-\\-filter", "\\-\\-all"]),
        ("genesys\\-scim check", &["\\-\\-map", "\\-\\-sheet"]),
        ("genesys\\-scim export users", &["\\-\\-output"]),
    ] {
        let at = commands
            .find(&format!(".SS \"{command}"))
            .unwrap_or_else(|| panic!("no {command} in\n{commands}"));
        let end = commands[at + 4..]
            .find(".SS ")
            .map_or(commands.len(), |e| at + 4 + e);
        for option in options {
            assert!(
                commands[at..end].contains(option),
                "no {option} under {command}:\n{}",
                &commands[at..end]
            );
        }
    }
    // Connection options are told once, in their own section.
    assert!(!commands.contains("\\-\\-base\\-url"), "{commands}");
}

#[test]
fn the_man_page_says_which_files_are_read_and_what_a_mapping_holds() {
    let r = run(scim().arg("man"));
    assert_eq!(r.code, 0, "{r:?}");
    let page = &r.stdout;
    let files = page.find(".SH FILES").expect("a FILES section");
    let mapping = page.find(".SH MAPPING").expect("a MAPPING section");
    let version = page.find(".SH VERSION").unwrap_or(page.len());
    assert!(files < mapping && mapping < version, "{page}");
    let files = &page[files..mapping];
    for word in [
        ".xlsx",
        ".tsv",
        "UTF\\-16",
        "windows\\-1252",
        "\\-\\-delimiter",
        "\\-\\-sheet",
        "FILE:LINE",
    ] {
        assert!(files.contains(word), "no {word} in\n{files}");
    }
    let mapping = &page[mapping..version];
    for word in [
        "[input]",
        "label_rows",
        "[columns]",
        "from",
        "expr",
        "none",
        "values",
        "pad",
        "date",
        "time_zone",
        "phone",
        "country",
        "extension",
        "key",
        "[[skip]]",
        "when",
        "capture",
        "matching",
        "cjk",
        "managed_groups",
    ] {
        assert!(mapping.contains(word), "no {word} in\n{mapping}");
    }
}
