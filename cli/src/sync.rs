//! `genesys-scim sync plan` and `genesys-scim sync apply`: a people file becomes a plan
//! against the org, which is printed, and for `apply` confirmed and carried
//! out, by the reconcile engine of `scim-sync`.

use crate::apply_audit::ApplyAudit;
use crate::args::{ApplyArgs, DEFAULT_MAX_PLAN_AGE, FeedArgs, PlanArgs, ReportFormat, SyncCommand};
use crate::audit::AuditLog;
use crate::error::Error;
use crate::exclusions::Exclusions;
use crate::people::{InputError, PeopleFile, Problem, desired_user};
use crate::plan_file::{Expected, SavedPlan};
use crate::plan_text::{settling, write_plan, write_report};
use crate::progress::ApplyProgress;
use crate::render::escape_for_terminal;
use crate::state::StateRun;
use scim_sdk::{Client, RateLimit};
use scim_sync::{
    ApplyOptions, DEFAULT_APPLY_RATE, DesiredUser, Exclusion, Memberships, Plan, Report, Scope,
    Warning,
};
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A checked people file, as the engine wants it, and the scope the
/// options narrow the sync to.
pub struct Feed {
    source: String,
    /// The sheet read, in a workbook.
    sheet: Option<String>,
    /// The rows (each with its editor line), the members `--managed-groups`
    /// gives those groups, and the reader's warnings.
    rows: scim_sync::Feed,
    /// The line of each active row, by userName in lower case.
    lines: HashMap<String, u64>,
    /// Where the rows a mapping left out but feeds as old records are:
    /// they link ids, and are no people.
    left_out: BTreeSet<String>,
    /// The scope, which keeps out the people of rows skipped by
    /// `--skip-invalid-rows` by every identity their rows give.
    scope: Scope,
    /// `--only`: the people kept are planned on their own, reading only
    /// what they need.
    only: bool,
    /// The scope of the command line, which a state is bound to (without
    /// the rows skipped this time).
    base_scope: Scope,
    /// What the rows mean (see `state::layout`).
    layout: String,
    /// `--state FILE` and `--full`.
    state: Option<(PathBuf, bool)>,
}

/// What a sync works from: a people file to plan, or a saved plan with the
/// scope the command line gives (which the plan's may narrow, never widen).
pub enum Input {
    Feed(Box<Feed>),
    Saved(Box<SavedPlan>, PathBuf, Scope),
}

/// Everything that can be refused before connecting: an apply nobody can
/// confirm, a bad file, a saved plan this release cannot read.
pub fn prepare(command: &SyncCommand) -> Result<Input, Error> {
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
            if let Some(path) = &args.plan {
                let expected = Expected {
                    fingerprint: args.expect_fingerprint.as_ref(),
                    max_age: args.max_plan_age.unwrap_or(DEFAULT_MAX_PLAN_AGE),
                };
                let saved = SavedPlan::read(path, &expected)?;
                return Ok(Input::Saved(
                    Box::new(saved),
                    path.clone(),
                    scope(&args.feed)?,
                ));
            }
            &args.feed
        }
    };
    let only = &feed.only;
    let mut feed = load(feed)?;
    if !only.is_empty() {
        feed.keep_only(only)?;
    }
    Ok(Input::Feed(Box::new(feed)))
}

impl Feed {
    /// Keeps the named people of the file, and narrows the scope to them:
    /// nobody else is changed or deactivated, at plan or at write time.
    fn keep_only(&mut self, only: &[String]) -> Result<(), Error> {
        let key = |n: &str| n.trim().to_lowercase();
        let wanted: BTreeSet<String> = only.iter().map(|n| key(n)).collect();
        // The rows left aside still count: a kept row finding the account
        // one of them finds is a conflict, as in a sync of the whole file.
        let (kept, aside) = std::mem::take(&mut self.rows.users)
            .into_iter()
            .partition(|u| wanted.contains(&key(u.user_name())));
        self.rows.users = kept;
        self.rows.others = aside;
        let found: BTreeSet<String> = self.rows.users.iter().map(|u| key(u.user_name())).collect();
        if let Some(missing) = wanted.difference(&found).next() {
            return Err(Error::Usage(format!(
                "--only {missing}: nobody of this userName in {}; nothing was sent",
                self.source
            )));
        }
        self.rows
            .warnings
            .retain(|w| w.user_name().is_none_or(|n| wanted.contains(&key(n))));
        // Each person by their row's userName and externalId: an account HR
        // renamed is theirs by its externalId until the sync renames it. A
        // userName's active row speaks for it (an old record's id is not).
        let mut people: BTreeMap<String, Exclusion> = BTreeMap::new();
        for u in &self.rows.users {
            let person = Exclusion::person(u.user_name(), u.user.external_id.as_deref());
            match people.entry(key(u.user_name())) {
                Entry::Vacant(e) => {
                    e.insert(person);
                }
                Entry::Occupied(mut e) if u.user.active != Some(false) => {
                    e.insert(person);
                }
                Entry::Occupied(_) => {}
            }
        }
        self.scope = self.scope.clone().only_people(people.into_values());
        self.only = true;
        Ok(())
    }
}

/// The scope of `--scope`, narrowed by `--exclude`, `--exclude-file` and
/// `--no-deactivate`.
fn scope(args: &FeedArgs) -> Result<Scope, Error> {
    let excluded = Exclusions::read(&args.exclude, args.exclude_file.as_deref())?;
    let mut scope = excluded.narrow(args.scope.clone());
    if args.no_deactivate {
        scope = scope.without_deactivations();
    }
    Ok(scope)
}

fn load(args: &FeedArgs) -> Result<Feed, Error> {
    let scope = scope(args)?;
    let options = args.read.options(args.skip_invalid_rows);
    let map = args.read.map.as_deref();
    let Some(from) = &args.from else {
        return Err(Error::Usage(
            "the people file is missing: pass --from FILE (or, for apply, --plan PLAN.json)".into(),
        ));
    };
    // The reader's warnings are the plan's first ones.
    let crate::mapping::FeedFile {
        file,
        mut managed,
        mapping,
    } = crate::mapping::read_feed(from, map, &options)?;
    crate::managed::refuse_without_groups(&file, &managed, map, "managed_groups")?;
    crate::managed::refuse_without_groups(&file, &args.managed_groups, None, "--managed-groups")?;
    managed.extend(args.managed_groups.iter().cloned());
    for column in &file.ignored_columns {
        eprintln!(
            "{}: ignored column `{}`",
            escape_for_terminal(&file.source),
            escape_for_terminal(column)
        );
    }
    let (rows, left_out) = engine_rows(&file, &managed, args.skip_invalid_rows);
    report_skipped(&file);
    // The file names them: they are not absent from it, so the plan and
    // every write leave them alone.
    let skipped = file
        .skipped
        .iter()
        .map(|s| Exclusion::person(&s.user_name, s.external_id.as_deref()));
    let lines = file
        .rows
        .iter()
        .filter(|r| r.person.active)
        .map(|r| (r.person.user_name.trim().to_lowercase(), r.line))
        .collect();
    let columns: Vec<&str> = file.columns.iter().map(|c| c.name()).collect();
    Ok(Feed {
        rows,
        lines,
        base_scope: scope.clone(),
        layout: crate::state::layout(&columns, mapping.as_deref(), &managed),
        state: args.state.clone().map(|path| (path, args.full)),
        left_out,
        scope: scope.excluding_people(skipped),
        only: false,
        source: file.source,
        sheet: file.sheet,
    })
}

/// The file's rows as the engine takes them, with the groups `managed`
/// lists by members, and the sources of the old records that link
/// rehires (rows the mapping left out).
fn engine_rows(
    file: &PeopleFile,
    managed: &[String],
    skip_invalid_rows: bool,
) -> (scim_sync::Feed, BTreeSet<String>) {
    let place = file.place();
    let mut users: Vec<DesiredUser> = file
        .rows
        .iter()
        .map(|r| desired_user(&r.person).with_source(place.at(Some(r.line))))
        .collect();
    let links = left_out_records(file);
    let mut memberships = Memberships::new();
    if !managed.is_empty() {
        let warnings;
        (memberships, warnings) = crate::managed::memberships(&mut users, managed);
        for w in warnings {
            eprintln!(
                "warning: {}: {}",
                escape_for_terminal(&file.source),
                escape_for_terminal(&w.to_string())
            );
        }
    }
    let left_out = links.iter().filter_map(|d| d.source.clone()).collect();
    users.extend(links);
    let mut rows = scim_sync::Feed::new(users)
        .with_memberships(memberships)
        .with_warnings(feed_warnings(file));
    if skip_invalid_rows {
        // Rows standing for one account are left out as bad rows are.
        rows = rows.leaving_out_conflicts();
    }
    (rows, left_out)
}

/// The rows a mapping left out that link a rehire's old externalId to the
/// new ([`PeopleFile::old_records`]), as the engine takes them.
fn left_out_records(file: &PeopleFile) -> Vec<DesiredUser> {
    let place = file.place();
    (file.old_records().iter())
        .map(|r| desired_user(&r.person).with_source(place.at(Some(r.line))))
        .collect()
}

/// The reader's warnings as the plan gives them: at their line, about the
/// person of the row there.
fn feed_warnings(file: &PeopleFile) -> Vec<Warning> {
    let place = file.place();
    file.warnings
        .iter()
        .map(|p| {
            let message = match &p.column {
                Some(column) => format!("column `{column}`: {}", p.message),
                None => p.message.clone(),
            };
            let warning = Warning::new(message).at(place.at(p.line));
            match file.rows.iter().find(|r| Some(r.line) == p.line) {
                Some(row) => warning.for_user(row.person.user_name.as_str()),
                None => warning,
            }
        })
        .collect()
}

/// `--skip-invalid-rows`: prints each skipped row's problems on stderr.
fn report_skipped(file: &PeopleFile) {
    if file.skipped.is_empty() {
        return;
    }
    let problems = InputError {
        source: file.source.clone(),
        sheet: file.sheet.clone(),
        problems: file.skipped_problems.clone(),
    };
    for line in problems.to_string().lines() {
        eprintln!("skipped: {}", escape_for_terminal(line));
    }
    eprintln!(
        "{}: {} rows skipped; their people are left as they are",
        escape_for_terminal(&file.source),
        file.skipped.len()
    );
}

/// The org a sync talks to, beyond its client.
pub struct Org<'a> {
    /// The embedded demo, which needs no pacing.
    pub fake: bool,
    /// What a state file is bound to (see `Connection::org`).
    pub id: &'a str,
}

/// Runs a sync command.
pub fn run(
    client: &Client,
    command: &SyncCommand,
    input: &Input,
    org: Org<'_>,
    audit: Option<AuditLog>,
    out: &mut impl Write,
) -> Result<(), Error> {
    let fake = org.fake;
    match (command, input) {
        (SyncCommand::Plan(args), Input::Feed(feed)) => plan(client, feed, args, &org, out),
        (SyncCommand::Apply(args), Input::Feed(feed)) => {
            let state = feed.open_state(org.id)?;
            let plan = make_plan(client, feed, state.as_ref())?;
            if args.output == ReportFormat::Text {
                write_header(out, feed, &plan)?;
                write_plan(out, &plan)?;
                write_estimate(out, &plan, args.rate_limit, fake)?;
                out.flush()?;
            } else {
                // The report has no room for them, and the plan is not shown.
                for w in &feed.rows.warnings {
                    eprintln!("warning: {}", escape_for_terminal(&w.to_string()));
                }
            }
            let header = |w: &mut dyn Write| write_header(w, feed, &plan);
            let on = Apply {
                fake,
                audit,
                within: None,
                state,
            };
            apply(client, &plan, &header, args, on, out)
        }
        (SyncCommand::Apply(args), Input::Saved(saved, path, scope)) => {
            saved.check_org(client.base_url(), org.id)?;
            let header = |w: &mut dyn Write| saved_header(w, saved, path);
            if args.output == ReportFormat::Text {
                header(out)?;
                write_plan(out, &saved.plan)?;
                write_estimate(out, &saved.plan, args.rate_limit, fake)?;
                out.flush()?;
            }
            let on = Apply {
                fake,
                audit,
                within: Some(scope.clone()),
                state: None,
            };
            apply(client, &saved.plan, &header, args, on, out)
        }
        (SyncCommand::Plan(_), Input::Saved(..)) => Ok(()),
    }
}

fn saved_header(out: &mut dyn Write, saved: &SavedPlan, path: &Path) -> io::Result<()> {
    writeln!(
        out,
        "Saved plan {} ({}, made {} from {} for {}); scope {} ({} in scope when planned; \
         apply counts them again)\n",
        escape_for_terminal(&path.display().to_string()),
        saved
            .fingerprint
            .as_ref()
            .map_or_else(String::new, ToString::to_string),
        escape_for_terminal(&saved.created),
        escape_for_terminal(&saved.source),
        escape_for_terminal(saved.org.shown()),
        escape_for_terminal(&saved.plan.scope.describe()),
        active_users(saved.plan.in_scope)
    )
}

/// `1 active user`, `37 active users`.
fn active_users(n: usize) -> String {
    match n {
        1 => "1 active user".to_owned(),
        n => format!("{n} active users"),
    }
}

impl Feed {
    /// `--state`: the state, locked and read back for this org.
    fn open_state(&self, org: &str) -> Result<Option<StateRun>, Error> {
        let Some((path, full)) = &self.state else {
            return Ok(None);
        };
        StateRun::open(path, *full, org, &self.base_scope, &self.layout).map(Some)
    }
}

fn make_plan(client: &Client, feed: &Feed, state: Option<&StateRun>) -> Result<Plan, Error> {
    // The file gives each person's groups, so no group is managed as a
    // whole, unless --managed-groups names some.
    let rows = &feed.rows;
    let plan = match state {
        Some(state) => state.plan(client, rows, &feed.scope)?,
        None if feed.only => scim_sync::plan_people(client, rows, &feed.scope)?,
        None => scim_sync::plan_feed(client, rows, &feed.scope)?,
    };
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
            let line = feed.lines.get(&c.user_name.trim().to_lowercase()).copied();
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
            sheet: feed.sheet.clone(),
            problems,
        }))
    }
}

fn plan(
    client: &Client,
    feed: &Feed,
    args: &PlanArgs,
    org: &Org<'_>,
    out: &mut impl Write,
) -> Result<(), Error> {
    let fake = org.fake;
    let state = feed.open_state(org.id)?;
    let plan = make_plan(client, feed, state.as_ref())?;
    let saved = match &args.out {
        Some(path) => {
            let saved = SavedPlan::new(plan.clone(), client.base_url(), org.id, &feed.source);
            Some((path, saved.write(path)?))
        }
        None => None,
    };
    match args.output {
        ReportFormat::Text => {
            write_header(out, feed, &plan)?;
            write_plan(out, &plan)?;
            write_estimate(out, &plan, None, fake)?;
        }
        ReportFormat::Json => {
            let json = PlanJson {
                plan: &plan,
                fingerprint: saved.as_ref().map(|(_, f)| f.to_string()),
            };
            crate::render::write_json(out, &json, true)?;
            writeln!(out)?;
        }
    }
    if let Some((path, fingerprint)) = &saved {
        crate::plan_file::announce(path, fingerprint);
    }
    if args.exit_code && (!plan.is_empty() || !plan.decisions.is_empty()) {
        return Err(Error::ChangesPending);
    }
    Ok(())
}

/// `sync plan --output json`: the plan as the engine writes it (its
/// summary first), then the fingerprint of the file `--out` saved.
#[derive(serde::Serialize)]
struct PlanJson<'a> {
    #[serde(flatten)]
    plan: &'a Plan,
    #[serde(skip_serializing_if = "Option::is_none")]
    fingerprint: Option<String>,
}

fn write_header(out: &mut dyn Write, feed: &Feed, plan: &Plan) -> io::Result<()> {
    writeln!(
        out,
        "Plan for {}: {}; scope {} ({} in scope)\n",
        escape_for_terminal(&feed.source),
        match (feed.rows.users.iter())
            .filter(|u| u.source.as_ref().is_none_or(|s| !feed.left_out.contains(s)))
            .count()
        {
            1 => "1 person".to_owned(),
            n => format!("{n} people"),
        },
        escape_for_terminal(&plan.scope.describe()),
        active_users(plan.in_scope)
    )
}

/// How an apply runs besides its arguments: on the embedded fake (which
/// needs no pacing), with an audit log, and, for a saved plan, within the
/// command line's scope.
struct Apply {
    fake: bool,
    audit: Option<AuditLog>,
    within: Option<Scope>,
    /// `--state`: the apply records what it did there.
    state: Option<StateRun>,
}

/// Confirms and applies `plan`; `header` introduces it where the
/// confirmation shows it. A saved plan is applied exactly, each item
/// checked by the engine on the org as it reads it.
fn apply(
    client: &Client,
    plan: &Plan,
    header: &dyn Fn(&mut dyn Write) -> io::Result<()>,
    args: &ApplyArgs,
    on: Apply,
    out: &mut impl Write,
) -> Result<(), Error> {
    let mut options = ApplyOptions::default()
        .exact(on.within.is_some())
        .workers(usize::from(args.concurrency))
        .rate_limit(pace(args.rate_limit, on.fake))
        .max_deactivation_ratio(args.max_deactivate / 100.0)
        .allow_mass_deactivation(args.allow_mass_deactivation);
    if let Some(scope) = on.within {
        options = options.within(scope);
    }
    // Refused plans are refused before anyone is asked to confirm them.
    options.check(plan)?;
    if !plan.is_empty() && !args.yes {
        confirm(client, header, plan, args.output)?;
    }
    let total = plan.len();
    let cancel = stop_on_ctrl_c();
    let mut options = options.cancel_on(cancel.clone());
    if let Some(log) = on.audit.filter(|_| total > 0) {
        let audit = ApplyAudit::new(log, plan);
        audit.log().run_started("sync apply", total)?;
        options = options.record(move |p| audit.record(p));
    }
    // A pace the operator set is one the apply cannot beat.
    let per_item =
        (args.rate_limit.filter(|n| *n > 0)).map(|n| std::time::Duration::from_secs(60) / n);
    let progress = ApplyProgress::new(total, per_item);
    let reporter = progress.clone();
    let options = options.on_progress(move |p| reporter.item(p));
    let applied = match on.state {
        Some(mut state) => state.apply(client, plan, &options),
        None => scim_sync::apply(client, plan, &options),
    };
    // The progress line ends before any error is printed.
    progress.finish();
    let report = match applied {
        Ok(report) => report,
        Err(scim_sync::Error::Unrecorded(lost)) => {
            print_report(out, &lost.report, args.output)?;
            return Err(scim_sync::Error::Unrecorded(lost).into());
        }
        Err(e) => return Err(e.into()),
    };
    print_report(out, &report, args.output)?;
    verdict(&report, total, cancel.load(Ordering::SeqCst))
}

/// How an apply that ran to its end went, for the exit code: work left
/// (stopped, interrupted, failed, drifted, or waiting for a decision) is
/// an error, told after the report.
fn verdict(report: &Report, total: usize, cancelled: bool) -> Result<(), Error> {
    // The org refused the credentials for every item that failed: the same
    // exit as when it refuses a plan's reads (a saved plan reads nothing
    // before its items).
    let refused = |e: &scim_sync::ItemError| e.status == Some(401) || e.kind == "auth";
    if report.failed > 0
        && report.drifted.is_empty()
        && report.failures.iter().all(|f| refused(&f.error))
    {
        return Err(Error::CredentialsRefused {
            failed: report.failed,
            total,
        });
    }
    if report.stopped.is_some() {
        return Err(Error::Partial {
            failed: report.failed,
            total,
        });
    }
    if !report.not_started.is_empty() || cancelled {
        return Err(Error::Cancelled {
            not_started: report.not_started.len(),
        });
    }
    if report.failed > 0 || !report.drifted.is_empty() {
        return Err(Error::Partial {
            failed: report.failed + report.drifted.len(),
            total,
        });
    }
    if !report.decisions.is_empty() {
        let commands = report.decisions.iter().map(settling).collect();
        return Err(Error::DecisionsPending(commands));
    }
    Ok(())
}

fn print_report(out: &mut impl Write, report: &Report, format: ReportFormat) -> Result<(), Error> {
    match format {
        ReportFormat::Text => {
            // Set apart from the plan, whose last lines may be commands.
            writeln!(out)?;
            write_report(out, report)?;
        }
        ReportFormat::Json => {
            // One line, escaped as `sync plan`'s JSON is: userNames and
            // error texts come from the org.
            crate::render::write_json(out, report, false)?;
            writeln!(out)?;
        }
    }
    Ok(out.flush()?)
}

/// A flag Ctrl-C sets: the apply starts no new item and lets the ones in
/// flight finish. A second Ctrl-C exits at once.
fn stop_on_ctrl_c() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let set = flag.clone();
    let installed = ctrlc::set_handler(move || {
        if set.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!(
            "interrupted: finishing the items in flight, starting no more (Ctrl-C again to quit at once)"
        );
    });
    if let Err(e) = installed {
        // Ctrl-C then ends the process at once, as it did before.
        eprintln!("warning: cannot handle Ctrl-C: {e}");
    }
    flag
}

/// The writes a minute of an apply without `--rate-limit`.
const DEFAULT_PER_MINUTE: u32 = 300;

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

/// How long applying `plan` takes at the pace (one request an item; a
/// retry or a version conflict adds to it), as a line of the plan's text.
fn write_estimate(
    out: &mut dyn Write,
    plan: &Plan,
    per_minute: Option<u32>,
    fake: bool,
) -> io::Result<()> {
    let (rate, pace) = match per_minute {
        Some(0) => return Ok(()),
        Some(n) => (n, format!("{n} requests a minute")),
        None if fake => return Ok(()),
        None => (
            DEFAULT_PER_MINUTE,
            format!(
                "the default pace of {DEFAULT_PER_MINUTE} requests a minute \
                 (faster if the org announces a higher limit)"
            ),
        ),
    };
    if plan.is_empty() {
        return Ok(());
    }
    let seconds = (plan.len() as u64 * 60).div_ceil(u64::from(rate));
    writeln!(
        out,
        "Estimated time to apply at {pace}: about {}.",
        crate::progress::duration(seconds)
    )
}

/// Asks the person at the terminal; anything but yes sends nothing.
fn confirm(
    client: &Client,
    header: &dyn Fn(&mut dyn Write) -> io::Result<()>,
    plan: &Plan,
    output: ReportFormat,
) -> Result<(), Error> {
    let mut err = io::stderr().lock();
    if output == ReportFormat::Json {
        // stdout is for the one JSON object; the plan is shown here.
        header(&mut err)?;
        write_plan(&mut err, plan)?;
    }
    write!(err, "\nApply this plan to {}? [y/N] ", client.base_url())?;
    crate::prompt::yes_or_cancel(&mut err)
}
