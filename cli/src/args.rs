//! The command line, as clap parses it.

use crate::plan_file::Fingerprint;
use clap::{Args, Parser, Subcommand, ValueEnum};
use scim_sync::Scope;
use std::path::PathBuf;
use std::time::Duration;

/// Operate a Genesys Cloud org over SCIM: list, inspect, deactivate and
/// export users and groups, and sync the org with an HR file.
///
/// Connect with --region (credentials from GENESYS_CLIENT_ID and
/// GENESYS_CLIENT_SECRET or GENESYS_CLIENT_SECRET_FILE), with --base-url and
/// --token-file, or try everything offline with --fake.
#[derive(Debug, Parser)]
#[command(
    name = "genesys-scim",
    version,
    max_term_width = 100,
    after_long_help = crate::error::Exit::help()
)]
pub struct Cli {
    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// Log each request to stderr (-vv adds the JSON bodies; secrets are
    /// never logged).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = "Connection options")]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

/// Where the org is and how to authenticate; the same for every command.
/// Under their own heading, so each command's help shows its own options
/// first.
#[derive(Debug, Args)]
#[command(next_help_heading = "Connection options")]
pub struct ConnectionArgs {
    /// Genesys Cloud region, e.g. us-east-1 or mypurecloud.ie [env: GENESYS_REGION]
    #[arg(long, global = true, value_name = "REGION", conflicts_with_all = ["base_url", "fake"])]
    pub region: Option<String>,

    /// API base URL of a proxy, test server or fake, instead of a region
    #[arg(long, global = true, value_name = "URL", conflicts_with = "fake")]
    pub base_url: Option<String>,

    /// OAuth token endpoint for the client credentials, when --base-url is not a Genesys host
    #[arg(long, global = true, value_name = "URL", conflicts_with = "fake")]
    pub token_url: Option<String>,

    /// Access token to send as is, instead of client credentials [env: GENESYS_TOKEN];
    /// other local users can see it: prefer --token-file
    #[arg(long, global = true, value_name = "TOKEN", conflicts_with = "fake")]
    pub token: Option<String>,

    /// Read the access token from this file (`-`: from stdin), at most 64
    /// KiB; keep it readable by you alone (chmod 600). For client
    /// credentials, GENESYS_CLIENT_SECRET_FILE names a file holding the secret
    #[arg(long, global = true, value_name = "PATH", conflicts_with_all = ["token", "fake"])]
    pub token_file: Option<PathBuf>,

    /// Start an embedded fake org (a few dozen demo users and groups) and
    /// work on it; nothing leaves this machine
    #[arg(long, global = true)]
    pub fake: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List, show, deactivate, relink (set-external-id) or delete users
    #[command(subcommand)]
    Users(UsersCommand),
    /// List groups and their members
    #[command(subcommand)]
    Groups(GroupsCommand),
    /// Write every user to stdout as a people file
    #[command(subcommand)]
    Export(ExportCommand),
    /// Check a people file, or an HR export through a mapping, without
    /// connecting
    Check(CheckArgs),
    /// Print the people file an HR export gives under a mapping, to review it
    Convert(ConvertArgs),
    /// Make the org match a people file: plan, then apply
    #[command(subcommand)]
    Sync(SyncCommand),
    /// Print a shell completion script, e.g. `genesys-scim completions bash`
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `genesys-scim man | man -l -`
    Man,
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// List users (active ones, unless --all or the filter names `active`)
    List(ListUsersArgs),
    /// Show one user
    Get {
        #[command(flatten)]
        user: UserArg,
        #[arg(long, short, value_enum, default_value_t = RecordFormat::Json)]
        output: RecordFormat,
    },
    /// Deactivate a user (active = false); the user can be reactivated later
    Deactivate {
        #[command(flatten)]
        user: UserArg,
        #[command(flatten)]
        audit: AuditArgs,
    },
    /// Give a user the externalId a people file's row gives it, settling a
    /// plan's decision (a rehire under a new HR id); refused if another
    /// user holds that externalId
    #[command(name = "set-external-id")]
    SetExternalId {
        #[command(flatten)]
        user: UserArg,
        /// The externalId to give it (the row's, as the plan names it)
        external_id: String,
        #[command(flatten)]
        audit: AuditArgs,
    },
    /// Delete a user for good (asks first on a terminal)
    Delete {
        #[command(flatten)]
        user: UserArg,
        /// Delete without asking (needed when stdin is not a terminal)
        #[arg(long, short)]
        yes: bool,
        #[command(flatten)]
        audit: AuditArgs,
    },
}

/// The user a `users` command is about.
#[derive(Debug, Args)]
pub struct UserArg {
    /// The user's id or userName
    pub user: String,
}

/// `--audit-log`, on every command that writes.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Append a JSON line for each write to this file (who, what, when,
    /// before and after, how it ended)
    #[arg(long, value_name = "FILE")]
    pub audit_log: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ListUsersArgs {
    /// SCIM filter, e.g. 'division eq "EMEA"'
    #[arg(long, value_name = "EXPR")]
    pub filter: Option<String>,

    /// Include inactive users
    #[arg(long)]
    pub all: bool,

    /// Attributes to fetch and show, comma-separated (e.g. userName,title)
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    pub attributes: Vec<String>,

    #[arg(long, short, value_enum, default_value_t = ListFormat::Table)]
    pub output: ListFormat,
}

#[derive(Debug, Subcommand)]
pub enum GroupsCommand {
    /// List groups with their member counts
    List {
        #[arg(long, short, value_enum, default_value_t = ListFormat::Table)]
        output: ListFormat,
    },
    /// List the members of a group
    Members {
        /// The group's display name
        group_name: String,
        #[arg(long, short, value_enum, default_value_t = ListFormat::Table)]
        output: ListFormat,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Every user, inactive included, in the people-file format
    Users {
        #[arg(long, short, value_enum, default_value_t = FileFormat::Csv)]
        output: FileFormat,
    },
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The HR export (.csv, .tsv, .txt, .xlsx, .xls, .ods)
    pub file: PathBuf,

    /// The mapping (TOML) from the export's columns to people-file columns
    #[arg(long, value_name = "FILE")]
    pub map: PathBuf,

    #[command(flatten)]
    pub input: InputArgs,

    #[arg(long, short, value_enum, default_value_t = FileFormat::Csv)]
    pub output: FileFormat,
}

/// How to read the file, when detection is not enough (the command line
/// wins over a mapping's `[input]`, which wins over detection).
#[derive(Debug, Args, Default)]
pub struct InputArgs {
    /// The file's encoding: utf-8, utf-16le, utf-16be, windows-1252 (a
    /// byte-order mark still wins); detected when not given
    #[arg(long, value_name = "ENCODING", value_parser = crate::input::encoding)]
    pub encoding: Option<&'static encoding_rs::Encoding>,

    /// The delimiter of a text file: `,`, `;`, `|`, `tab` or another
    /// character; detected from the header when not given
    #[arg(long, value_name = "CHAR", value_parser = crate::input::delimiter)]
    pub delimiter: Option<u8>,

    /// The sheet of a workbook (.xlsx, .xls, .ods) to read; the first when
    /// not given
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
}

impl InputArgs {
    /// The options these flags give; a mapping fills the others.
    pub fn options(&self) -> crate::input::Options {
        crate::input::Options {
            encoding: self.encoding,
            delimiter: self.delimiter,
            sheet: self.sheet.clone(),
            ..crate::input::Options::default()
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The people file (.csv, .tsv, .txt, .xlsx…, .jsonl), or an HR export
    /// with --map
    pub file: PathBuf,

    #[command(flatten)]
    pub read: ReadArgs,
}

/// How `check` and `sync` read a people file or an HR export.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Read the file as an HR export through this mapping (TOML)
    #[arg(long, value_name = "MAPPING")]
    pub map: Option<PathBuf>,

    #[command(flatten)]
    pub input: InputArgs,

    /// Skip columns that are not people-file columns instead of refusing the file
    #[arg(long)]
    pub ignore_unknown_columns: bool,
}

impl ReadArgs {
    /// The reader's options these flags give.
    pub fn options(&self, skip_invalid_rows: bool) -> crate::people::ReadOptions {
        crate::people::ReadOptions {
            ignore_unknown_columns: self.ignore_unknown_columns,
            skip_invalid_rows,
            input: self.input.options(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Show what `sync apply` would change, and why; sends no write
    Plan(PlanArgs),
    /// Plan, confirm, then create, update, reactivate and deactivate users
    /// and change group memberships
    Apply(ApplyArgs),
}

/// What a sync reads: the file and which org users it answers for.
#[derive(Debug, Args)]
pub struct FeedArgs {
    /// The people file (.csv, .tsv, .txt, .xlsx, .jsonl…), e.g. an edited `genesys-scim export users`
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,

    #[command(flatten)]
    pub read: ReadArgs,

    /// Only these groups follow the groups cells (A,B): a person joins and
    /// leaves them as the file says (an empty cell: in none of them), and
    /// other groups are never touched; the file needs a groups column
    #[arg(long, value_name = "GROUPS", value_delimiter = ',')]
    pub managed_groups: Vec<String>,

    /// Report each row with problems, leave its person alone, and sync the
    /// other rows (without it, one bad row refuses the whole file)
    #[arg(long)]
    pub skip_invalid_rows: bool,

    /// The users the sync may change or deactivate: external-id (users with
    /// an externalId), all, or division:NAME
    #[arg(long, value_name = "SCOPE", default_value = "external-id", value_parser = parse_scope)]
    pub scope: Scope,

    /// Never change this user (a userName, or externalId:VALUE; repeatable),
    /// whatever the scope
    #[arg(long, value_name = "USERNAME|externalId:VALUE")]
    pub exclude: Vec<String>,

    /// Never change the users this file names, one a line as for --exclude
    /// (at most 64 MiB); `#` at a line's start or after a space starts a
    /// comment
    #[arg(long, value_name = "FILE")]
    pub exclude_file: Option<PathBuf>,

    /// Deactivate nobody: users absent from the file, or marked inactive,
    /// stay as they are
    #[arg(long)]
    pub no_deactivate: bool,

    /// Sync only this person of the file (a userName; repeatable), reading
    /// only their accounts, manager and groups: nobody else is changed or
    /// deactivated
    #[arg(long, value_name = "USERNAME")]
    pub only: Vec<String>,

    /// Remember in this file what was applied, and on later runs read only
    /// the people whose rows changed, are new or left the file (the first
    /// run, without the file, reads the whole org); locked while a run uses it
    #[arg(long, value_name = "FILE", conflicts_with = "only")]
    pub state: Option<PathBuf>,

    /// With --state: read the whole org (a full reconcile, which sees changes
    /// made in Genesys) and write the state anew
    #[arg(long, requires = "state")]
    pub full: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub feed: Box<FeedArgs>,

    /// Also write the plan to this file, for `sync apply --plan`, and print
    /// its fingerprint (sha256:…) on stderr
    #[arg(long, value_name = "PLAN.json")]
    pub out: Option<PathBuf>,

    /// Exit 1 when the plan has changes or rows needing a decision, and 0
    /// when there is nothing to do (as `git diff --exit-code`)
    #[arg(long)]
    pub exit_code: bool,

    #[arg(long, short, value_enum, default_value_t = ReportFormat::Text)]
    pub output: ReportFormat,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub feed: Box<FeedArgs>,

    /// Apply without asking (needed when stdin is not a terminal)
    #[arg(long, short)]
    pub yes: bool,

    /// Apply exactly this plan of `sync plan --out` (at most 64 MiB),
    /// without planning again: each item is checked against the org before
    /// its write, items changed since are reported drifted and not written,
    /// and a plan whose scope is wider than --scope, --exclude,
    /// --exclude-file and --no-deactivate give is refused
    // Every option about the people file is refused beside it: the plan is
    // applied as it is, and an option it ignored would mislead.
    #[arg(long, value_name = "PLAN.json", conflicts_with_all = [
        "from", "map", "encoding", "delimiter", "sheet", "managed_groups",
        "skip_invalid_rows", "ignore_unknown_columns", "only", "state", "full",
    ])]
    pub plan: Option<PathBuf>,

    /// With --plan: refuse the file unless its fingerprint is this one
    /// (`sha256:…`, as `sync plan --out` prints it)
    // `requires` is not enough: clap lets --plan be missing when an option
    // it conflicts with (--from) is given.
    #[arg(
        long,
        value_name = "sha256:HEX",
        requires = "plan",
        conflicts_with = "from"
    )]
    pub expect_fingerprint: Option<Fingerprint>,

    /// With --plan: refuse a plan made longer ago than this (e.g. 30m, 8h,
    /// 3days), or dated in the future [default: 24h]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, requires = "plan", conflicts_with = "from")]
    pub max_plan_age: Option<Duration>,

    #[command(flatten)]
    pub audit: AuditArgs,

    /// Requests sent at once
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,

    /// Pace the writes at this many requests a minute; 0 turns pacing off
    /// [default: the limit the org announces, 300 until it has announced
    /// one; off with --fake]
    #[arg(long, value_name = "PER_MIN")]
    pub rate_limit: Option<u32>,

    /// Refuse a plan that deactivates more than this percentage of the
    /// active users in scope
    #[arg(long, value_name = "PERCENT", default_value_t = 10.0, value_parser = parse_percent)]
    pub max_deactivate: f64,

    /// Deactivate as planned even above --max-deactivate
    #[arg(long)]
    pub allow_mass_deactivation: bool,

    #[arg(long, short, value_enum, default_value_t = ReportFormat::Text)]
    pub output: ReportFormat,
}

fn parse_scope(text: &str) -> Result<Scope, String> {
    text.parse::<Scope>().map_err(|e| e.message())
}

/// How old a saved plan may be without `--max-plan-age`.
pub const DEFAULT_MAX_PLAN_AGE: Duration = Duration::from_secs(24 * 3600);

fn parse_duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text.trim())
        .map_err(|e| format!("`{text}` is not a duration such as 30m, 8h or 3days: {e}"))
}

fn parse_percent(text: &str) -> Result<f64, String> {
    match text.trim().trim_end_matches('%').parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(format!("`{text}` is not a percentage from 0 to 100")),
    }
}

/// Output of `sync plan` and `sync apply`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Sections and lines for a person to read
    Text,
    /// One JSON object, for scripts
    Json,
}

/// Output of commands that print many items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Aligned columns that fit the terminal
    Table,
    /// A JSON array of the resources as the API returned them
    Json,
    /// CSV with a header row
    Csv,
}

/// Output of commands that print one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RecordFormat {
    /// The resource as the API returned it
    Json,
    /// One attribute per line
    Table,
}

/// Encodings of a people file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileFormat {
    /// CSV with a header row
    Csv,
    /// One JSON object per line
    Jsonl,
}

impl Command {
    /// The `--audit-log` of a command that writes, if given.
    pub fn audit_log(&self) -> Option<&std::path::Path> {
        let audit = match self {
            Command::Users(UsersCommand::Deactivate { audit, .. })
            | Command::Users(UsersCommand::SetExternalId { audit, .. })
            | Command::Users(UsersCommand::Delete { audit, .. }) => audit,
            Command::Sync(SyncCommand::Apply(args)) => &args.audit,
            _ => return None,
        };
        audit.audit_log.as_deref()
    }
}

/// The ids of the global options that only matter to a command that
/// connects: hidden from the help of `check`, which never does.
pub const CONNECTION_OPTIONS: [&str; 7] = [
    "region",
    "base_url",
    "token_url",
    "token",
    "token_file",
    "fake",
    "verbose",
];

/// The command line, with `check`'s help free of connection options.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let cmd = Cli::command();
    // A subcommand that has an argument of a global's id does not get the
    // global: check gets hidden copies instead.
    let hidden: Vec<clap::Arg> = cmd
        .get_arguments()
        .filter(|a| CONNECTION_OPTIONS.contains(&a.get_id().as_str()))
        .map(|a| a.clone().global(false).hide(true))
        .collect();
    cmd.mut_subcommand("check", |check| check.args(hidden))
}

/// Parses the process's arguments as [`command`] describes them.
pub fn parse() -> Cli {
    use clap::FromArgMatches;
    let matches = command().get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// The options of `sync plan` that `sync apply --plan` takes too: the
    /// scope, and the output's format. Every other one is about the people
    /// file.
    const BESIDE_A_PLAN: [&str; 5] = [
        "scope",
        "exclude",
        "exclude_file",
        "no_deactivate",
        "output",
    ];

    #[test]
    fn every_option_about_the_people_file_is_refused_beside_a_saved_plan() {
        let cli = super::Cli::command();
        let sync = cli.find_subcommand("sync").unwrap();
        let (plan, apply) = (
            sync.find_subcommand("plan").unwrap(),
            sync.find_subcommand("apply").unwrap(),
        );
        let saved = apply
            .get_arguments()
            .find(|a| a.get_id() == "plan")
            .unwrap();
        let refused: Vec<&str> = apply
            .get_arg_conflicts_with(saved)
            .iter()
            .map(|a| a.get_id().as_str())
            .collect();
        let file_options = plan.get_arguments().filter(|a| {
            let id = a.get_id().as_str();
            !a.is_global_set()
                && !BESIDE_A_PLAN.contains(&id)
                && apply.get_arguments().any(|b| b.get_id() == id)
        });
        for option in file_options {
            let id = option.get_id().as_str();
            assert!(refused.contains(&id), "--plan takes --{id}");
        }
    }
}
