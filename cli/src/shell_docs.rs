//! `genesys-scim completions SHELL` and `genesys-scim man`: the completion
//! scripts and the man page, generated from the same clap definition the
//! binary parses, so they never drift from it. Packages (`cli/build-deb.sh`)
//! install their output.

use crate::args::Cli;
use crate::error::{Error, Exit};
use clap::CommandFactory;
use clap_complete::Shell;
use std::io::{self, Write};

/// The variables the binary reads, in roff, for the ENVIRONMENT section.
const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "GENESYS_REGION",
        "The region, when no \\-\\-region, \\-\\-base\\-url or \\-\\-fake is given.",
    ),
    (
        "GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET",
        "The OAuth client credentials.",
    ),
    (
        "GENESYS_CLIENT_SECRET_FILE",
        "A file holding the client secret, instead of GENESYS_CLIENT_SECRET: read up to 64 KiB, \
         with a warning when its group or other users may read it (chmod 600 it).",
    ),
    (
        "GENESYS_TOKEN",
        "An access token to send as is; it takes precedence over client credentials. \
         Prefer it to \\-\\-token, which other local users can see.",
    ),
    (
        "COLUMNS",
        "The width tables are cut to, instead of the terminal's.",
    ),
    (
        "HTTPS_PROXY, ALL_PROXY, HTTP_PROXY, NO_PROXY",
        "The proxy for requests to the API (never for a loopback address).",
    ),
];

/// The FILES section, in roff: what `check`, `convert` and `sync` read.
const FILES: &str = r"The people file or HR export of \fBcheck\fR, \fBconvert\fR and \fBsync\fR is
read as it was written:
.TP
\fB.csv\fR, \fB.tsv\fR, \fB.txt\fR
Delimited text. The encoding is UTF\-8 with or without a byte\-order mark,
UTF\-16 LE or BE with one, or windows\-1252: a byte\-order mark decides, then
\fB\-\-encoding\fR, then detection; bytes the encoding cannot decode are refused.
The delimiter (comma, semicolon, tab or pipe) is the one the header line holds
most, or \fB\-\-delimiter\fR CHAR (\fBtab\fR for a tab).
.TP
\fB.xlsx\fR, \fB.xlsm\fR, \fB.xlsb\fR, \fB.xls\fR, \fB.ods\fR
A workbook: the first sheet, or \fB\-\-sheet\fR NAME. Numbers are their values,
date cells YYYY\-MM\-DD.
.TP
\fB.jsonl\fR
JSON Lines (people files only).
.PP
Blank rows are skipped; a row repeated cell for cell is read once, with a warning.
Each problem names FILE:LINE as an editor shows it (FILE:SHEET!ROW in a workbook),
the column, and what is wrong. A mapping's \fB[input]\fR table declares the same,
and the command line wins over it. A people file or HR export is read up to
256 MiB and a mapping up to 1 MiB, whatever the file is (a device, a pipe that
never ends); a larger one is refused. A workbook whose parts would unpack to more
than 1 GiB, whose shared\-strings table claims more strings than the 16777216
cells read from a sheet, or an .xls sheet that claims more than 65536 rows or 256
columns, is refused before it is unpacked; a damaged workbook is an error naming
the file.";

/// The rest of the FILES section, in roff: the files an operator hands
/// the CLI besides the people, and their bounds.
const OTHER_FILES: &str = r"A saved plan (\fB\-\-plan\fR) and an exclude file (\fB\-\-exclude\-file\fR) are
read up to 64 MiB, a token file (\fB\-\-token\-file\fR) or a secret file
(\fBGENESYS_CLIENT_SECRET_FILE\fR) up to 64 KiB, whatever the file is; a larger one
is refused before anything is sent. A token or secret file that its group or other
users may read is warned about: make it readable by you alone (\fBchmod 600\fR).";

/// The MAPPING section, in roff: the keys of a `--map` file.
const MAPPING: &str = r"A mapping (TOML, \fB\-\-map\fR) turns an HR export into people. Top\-level keys:
\fBmanaged_groups\fR (as \fB\-\-managed\-groups\fR), \fB[input]\fR (\fBencoding\fR,
\fBdelimiter\fR, \fBsheet\fR, \fBheader_row\fR, \fBlabel_rows\fR), \fB[columns]\fR
and \fB[[skip]]\fR tables.
.PP
Each key of \fB[columns]\fR is a people\-file column, and its value an export
column or a table of options, applied in this order:
.TP
\fBfrom\fR, \fBtemplate\fR, \fBconstant\fR, \fBexpr\fR
Where the value comes from (exactly one): a column, templates such as
\(dq{First Name} {Last Name}\(dq, a constant, or a minijinja expression.
.TP
\fBnone\fR
Values meaning none: the attribute is cleared (\fBmanager\fR: no manager);
\(dq\(dq among them clears it when the value is empty.
.TP
\fBlower\fR, \fBupper\fR, \fBvalues\fR, \fBdefault\fR, \fBpad\fR
Case; a table of values with a default; zeros before a number.
.TP
\fBdate\fR, \fBtime_zone\fR
MM/DD/YYYY\-style layouts, strftime layouts (%d.%m.%Y), \fBiso\fR, \fBodata\fR
(/Date(ms)/) or \fBepoch\-ms\fR, to YYYY\-MM\-DD in the zone (UTC by default).
.TP
\fBphone\fR, \fBcountry\fR, \fBextension\fR
E.164 by libphonenumber: the default country (or true), the row's country
(ISO alpha\-2, alpha\-3 or name), an extension column. An invalid number is a
warning, and that phone is left as it is.
.TP
\fBkey\fR
For \fBmanager\fR: the columns a manager is looked up in (two rows sharing a
key are refused).
.PP
A \fB[[skip]]\fR table leaves rows out: \fBcolumn\fR with \fBequals\fR or
\fBempty\fR, or \fBwhen\fR, an expression. A row left out that gives the
userName of a kept row and another externalId still links a rehire's ids;
\fBconvert\fR writes it as an inactive row of the two alone. Expressions see \fBrow['Column']\fR
and identifier\-named columns, with if/else, \fBin\fR, \fBor\fR, \fB~\fR, the
Jinja filters (trim, lower, split, replace, default…) and ours: \fBcapture\fR,
\fBpad\fR, \fBis matching\fR, \fBis cjk\fR, and \fBlookup(COLUMN, VALUE)\fR, the
one kept row holding VALUE. The README lists every key with an example.";

/// The REHIRES section, in roff: how `sync` settles a rehire under a new
/// HR id, and what it leaves for a person to decide.
const REHIRES: &str = r"A row whose \fBuserName\fR an account with another \fBexternalId\fR holds (a
rehire under a new HR id, say) is never taken over on a guess. When the file
links the two ids (an inactive row of the same userName carrying the account's
old externalId, or such a row a mapping's \fB[[skip]]\fR leaves out), the plan
relinks and reactivates the account in one guarded write, shown as
\fB(a rehire, linked by FILE:LINE)\fR. Otherwise the plan writes nothing for the
row, lists it under \fBNeeds a decision\fR (\fBdecisions\fR and
\fBsummary.needs_decision\fR in JSON), and \fBsync plan \-\-exit\-code\fR and
\fBsync apply\fR exit 1 until \fBgenesys\-scim users set\-external\-id USER ID\fR
gives the account the row's id (guarded, audited with \fB\-\-audit\-log\fR,
refused when another user holds ID), or the row is corrected.";

/// Writes the completion script for `shell`.
pub fn completions(shell: Shell, out: &mut impl Write) -> Result<(), Error> {
    let mut command = Cli::command();
    let name = command.get_name().to_owned();
    clap_complete::generate(shell, &mut command, name, out);
    Ok(())
}

/// Writes the man page, in roff, for section 1: clap's sections, with
/// every command's options in COMMANDS (instead of clap's list of pages
/// per subcommand, which no package installs), and ENVIRONMENT and EXIT
/// STATUS before VERSION, where man pages keep them.
pub fn man_page(out: &mut impl Write) -> Result<(), Error> {
    // The exit codes that end `--help` are the EXIT STATUS section here.
    let mut cli = Cli::command().after_long_help(None::<&str>);
    let mut page = Vec::new();
    clap_mangen::Man::new(cli.clone()).render(&mut page)?;
    let page = String::from_utf8_lossy(&page);
    let (head, tail) = page.split_at(page.find(".SH VERSION").unwrap_or(page.len()));
    let (head, after_commands) = match head.find(".SH SUBCOMMANDS") {
        Some(at) => {
            let end = head[at + 1..]
                .find("\n.SH ")
                .map_or(head.len(), |e| at + e + 2);
            (&head[..at], &head[end..])
        }
        None => (head, ""),
    };
    out.write_all(head.as_bytes())?;
    out.write_all(b".SH COMMANDS\n")?;
    cli.build();
    write_commands(&cli, out)?;
    out.write_all(after_commands.as_bytes())?;
    out.write_all(b".SH ENVIRONMENT\n")?;
    for (name, text) in ENVIRONMENT {
        writeln!(out, ".TP\n\\fB{name}\\fR\n{text}")?;
    }
    out.write_all(b".SH \"EXIT STATUS\"\n")?;
    for (code, meaning) in Exit::ALL {
        writeln!(out, ".TP\n\\fB{}\\fR\n{}", code as u8, roff_marked(meaning))?;
    }
    writeln!(out, ".SH FILES\n{FILES}\n.PP\n{OTHER_FILES}")?;
    writeln!(out, ".SH MAPPING\n{MAPPING}")?;
    writeln!(out, ".SH REHIRES\n{REHIRES}")?;
    out.write_all(tail.as_bytes())?;
    Ok(())
}

/// Each command that runs (`sync apply`, not `sync`), in roff: its usage,
/// what it does, and its own arguments and options (the connection
/// options are in a section of their own).
fn write_commands(command: &clap::Command, out: &mut impl Write) -> io::Result<()> {
    for sub in command.get_subcommands().filter(|c| c.get_name() != "help") {
        if sub.has_subcommands() {
            write_commands(sub, out)?;
            continue;
        }
        let usage = sub.clone().render_usage().to_string();
        let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
        writeln!(out, ".SS \"{}\"", roff(usage))?;
        let about = sub.get_long_about().or(sub.get_about());
        if let Some(about) = about {
            writeln!(out, "{}", roff(&about.to_string()))?;
        }
        let own = sub
            .get_arguments()
            .filter(|a| !a.is_global_set() && !a.is_hide_set() && a.get_id() != "help");
        for arg in own {
            writeln!(out, ".TP\n{}", roff_arg(arg))?;
            writeln!(out, "{}", roff(&arg_help(arg)))?;
        }
    }
    Ok(())
}

/// An argument's help, with its values and default as `--help` gives them.
fn arg_help(arg: &clap::Arg) -> String {
    let help = arg.get_long_help().or(arg.get_help());
    let mut text = vec![help.map(ToString::to_string).unwrap_or_default()];
    if arg.get_action().takes_values() {
        let values: Vec<String> = (arg.get_possible_values().iter())
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_owned())
            .collect();
        if !values.is_empty() {
            text.push(format!("[possible values: {}]", values.join(", ")));
        }
        let defaults: Vec<String> = (arg.get_default_values().iter())
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        if !defaults.is_empty() {
            text.push(format!("[default: {}]", defaults.join(",")));
        }
    }
    text.retain(|t| !t.is_empty());
    text.join(" ")
}

/// `\fB\-\-from\fR \fIFILE\fR`, `\fB\-o\fR, \fB\-\-output\fR \fIOUTPUT\fR`, or
/// `\fIUSER\fR` for a positional argument.
fn roff_arg(arg: &clap::Arg) -> String {
    let value = arg
        .get_value_names()
        .map(|names| {
            names
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| arg.get_id().as_str().to_uppercase());
    if arg.is_positional() {
        return format!("\\fI{}\\fR", roff(&value));
    }
    let mut names = Vec::new();
    if let Some(short) = arg.get_short() {
        names.push(format!("\\fB\\-{short}\\fR"));
    }
    if let Some(long) = arg.get_long() {
        names.push(format!("\\fB{}\\fR", roff(&format!("--{long}"))));
    }
    let mut text = names.join(", ");
    if arg.get_action().takes_values() {
        text.push_str(&format!(" \\fI{}\\fR", roff(&value)));
    }
    text
}

/// [`roff`] of a text whose `` `…` `` spans are commands or options,
/// set in bold.
fn roff_marked(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| match i % 2 {
            1 => format!("\\fB{}\\fR", roff(part)),
            _ => roff(part),
        })
        .collect()
}

/// Text as roff prints it: backslashes and dashes escaped, and a line
/// that would start with a control character (`.` or `'`) protected.
fn roff(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    escaped
        .lines()
        .map(|line| match line.chars().next() {
            Some('.' | '\'') => format!("\\&{line}"),
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
