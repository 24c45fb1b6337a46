//! `scim sync plan` and `scim sync apply`: a people file becomes a plan
//! against the org, which is printed, and for `apply` confirmed and carried
//! out, by the reconcile engine of `scim-sync`.

use crate::args::{ApplyArgs, FeedArgs, PlanArgs, ReportFormat, SyncCommand};
use crate::error::Error;
use crate::people::{InputError, Problem, ReadOptions, desired_user};
use crate::plan_text::{write_plan, write_report};
use crate::progress::ApplyProgress;
use scim_sdk::{Client, RateLimit};
use scim_sync::{ApplyOptions, DEFAULT_APPLY_RATE, DesiredUser, Memberships, Plan};
use std::io::{self, BufRead, IsTerminal, Write};
use std::time::Instant;

/// A checked people file, as the engine wants it.
pub struct Feed {
    source: String,
    users: Vec<DesiredUser>,
    /// The line of each user's row.
    lines: Vec<u64>,
    /// With `--managed-groups`: the members the feed gives those groups.
    memberships: Memberships,
    /// With `--skip-invalid-rows`: the people of the skipped rows, whom
    /// the plan leaves alone.
    skipped: Vec<String>,
}

/// Everything that can be refused before connecting: an apply nobody can
/// confirm, and a bad file.
pub fn prepare(command: &SyncCommand) -> Result<Feed, Error> {
    let feed = match command {
        SyncCommand::Plan(args) => &args.feed,
        SyncCommand::Apply(args) => {
            if !args.yes && !io::stdin().is_terminal() {
                return Err(Error::Usage(
                    "refusing to apply without confirmation: stdin is not a terminal; \
                     review the plan with `genesys-scim sync plan`, then pass --yes. Nothing was sent"
                        .into(),
                ));
            }
            &args.feed
        }
    };
    load(feed)
}

fn load(args: &FeedArgs) -> Result<Feed, Error> {
    let options = ReadOptions {
        ignore_unknown_columns: args.ignore_unknown_columns,
        skip_invalid_rows: args.skip_invalid_rows,
    };
    let (file, mut managed) =
        crate::mapping::read_people(&args.from, args.map.as_deref(), options)?;
    managed.extend(args.managed_groups.iter().cloned());
    for column in &file.ignored_columns {
        eprintln!("{}: ignored column `{column}`", file.source);
    }
    let mut users: Vec<DesiredUser> = file.rows.iter().map(|r| desired_user(&r.person)).collect();
    let mut memberships = Memberships::new();
    if !managed.is_empty() {
        let warnings;
        (memberships, warnings) = crate::managed::memberships(&mut users, &managed);
        for w in warnings {
            eprintln!("warning: {}: {w}", file.source);
        }
    }
    crate::skipped::report(&file);
    Ok(Feed {
        users,
        lines: file.rows.iter().map(|r| r.line).collect(),
        memberships,
        skipped: file.skipped.into_iter().map(|(_, name)| name).collect(),
        source: file.source,
    })
}

/// Runs a sync command; `fake` says the org is the embedded demo, which
/// needs no pacing.
pub fn run(
    client: &Client,
    command: &SyncCommand,
    feed: &Feed,
    fake: bool,
    out: &mut impl Write,
) -> Result<(), Error> {
    match command {
        SyncCommand::Plan(args) => plan(client, feed, args, out),
        SyncCommand::Apply(args) => apply(client, feed, args, fake, out),
    }
}

fn make_plan(client: &Client, feed: &Feed, args: &FeedArgs) -> Result<Plan, Error> {
    // The file gives each person's groups, so no group is managed as a
    // whole, unless --managed-groups names some.
    let mut plan = scim_sync::plan(client, &feed.users, &feed.memberships, &args.scope)?;
    crate::skipped::leave_alone(&mut plan, &feed.skipped);
    refuse_impossible_creates(feed, &plan)?;
    Ok(plan)
}

/// Genesys Cloud refuses a user without a displayName; such a create is
/// refused here, naming its row, rather than fail half way through an apply.
fn refuse_impossible_creates(feed: &Feed, plan: &Plan) -> Result<(), Error> {
    let problems: Vec<Problem> = plan
        .creates
        .iter()
        .filter(|c| {
            c.user
                .display_name
                .as_deref()
                .is_none_or(|n| n.trim().is_empty())
        })
        .map(|c| {
            let line = feed
                .users
                .iter()
                .position(|d| d.user_name().eq_ignore_ascii_case(&c.user_name))
                .map(|i| feed.lines[i]);
            Problem {
                line,
                column: Some("displayName".into()),
                message: format!(
                    "{} is not in the org, and a new user needs a displayName; nothing was sent",
                    c.user_name
                ),
            }
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(InputError {
            source: feed.source.clone(),
            problems,
        }))
    }
}

fn plan(client: &Client, feed: &Feed, args: &PlanArgs, out: &mut impl Write) -> Result<(), Error> {
    let plan = make_plan(client, feed, &args.feed)?;
    match args.output {
        ReportFormat::Text => {
            write_header(out, feed, &plan)?;
            write_plan(out, &plan)?;
        }
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &plan).map_err(io::Error::from)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

fn write_header(out: &mut impl Write, feed: &Feed, plan: &Plan) -> io::Result<()> {
    writeln!(
        out,
        "Plan for {}: {}; scope {} ({} active users in scope)\n",
        feed.source,
        match feed.users.len() {
            1 => "1 person".to_owned(),
            n => format!("{n} people"),
        },
        plan.scope.describe(),
        plan.in_scope
    )
}

fn apply(
    client: &Client,
    feed: &Feed,
    args: &ApplyArgs,
    fake: bool,
    out: &mut impl Write,
) -> Result<(), Error> {
    let started = Instant::now();
    let plan = make_plan(client, feed, &args.feed)?;
    if args.output == ReportFormat::Text {
        write_header(out, feed, &plan)?;
        write_plan(out, &plan)?;
        out.flush()?;
    }
    let options = ApplyOptions::default()
        .workers(usize::from(args.concurrency))
        .rate_limit(pace(args.rate_limit, fake))
        .max_deactivation_ratio(args.max_deactivate / 100.0)
        .allow_mass_deactivation(args.allow_mass_deactivation);
    // Refused plans are refused before anyone is asked to confirm them.
    options.check(&plan)?;
    if !plan.is_empty() && !args.yes {
        confirm(client, feed, &plan, args.output)?;
    }
    let total = plan.len();
    let progress = ApplyProgress::new(total);
    let reporter = progress.clone();
    let applied = scim_sync::apply(
        client,
        &plan,
        &options.on_progress(move |p| reporter.item(p)),
    );
    // The progress line ends before any error is printed.
    progress.finish();
    let mut report = applied?;
    // Every request of the command, the reads of the plan included.
    report.requests_by_outcome = client.request_counts();
    report.requests = report.requests_by_outcome.sent;
    match args.output {
        ReportFormat::Text => {
            if total > 0 {
                writeln!(out)?;
            }
            write_report(out, &report, started.elapsed())?;
        }
        ReportFormat::Json => {
            serde_json::to_writer(&mut *out, &report).map_err(io::Error::from)?;
            writeln!(out)?;
        }
    }
    if report.failed > 0 {
        return Err(Error::Partial {
            failed: report.failed,
            total,
        });
    }
    Ok(())
}

/// The pace of the writes: `--rate-limit` (0 is off), else the SDK's
/// default for a real org and none for the embedded fake.
fn pace(per_minute: Option<u32>, fake: bool) -> Option<RateLimit> {
    match per_minute {
        Some(0) => None,
        Some(n) => Some(RateLimit::per_minute(n)),
        None if fake => None,
        None => Some(DEFAULT_APPLY_RATE),
    }
}

/// Asks the person at the terminal; anything but yes sends nothing.
fn confirm(client: &Client, feed: &Feed, plan: &Plan, output: ReportFormat) -> Result<(), Error> {
    let mut err = io::stderr().lock();
    if output == ReportFormat::Json {
        // stdout is for the one JSON object; the plan is shown here.
        write_header(&mut err, feed, plan)?;
        write_plan(&mut err, plan)?;
    }
    write!(err, "\nApply this plan to {}? [y/N] ", client.base_url())?;
    err.flush()?;
    let mut answer = String::new();
    io::stdin().lock().read_line(&mut answer)?;
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(Error::Usage("cancelled; nothing was sent".into())),
    }
}
