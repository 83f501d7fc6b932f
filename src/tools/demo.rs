//! `answerable demo`: a realistic discussion on a staff blog, written in the project's
//! own words, for trying the site and for benchmarks.

use chrono::TimeDelta;
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use super::demo_bulk::{self, Answerer, Texts};
use super::demo_text::{ANSWERS, BIG_POST, DEPARTMENTS, DETAILS, FIRST, LAST, OPENINGS, REPLIES, SMALL_POST};
use crate::db::{self, AnyConnection};
use crate::domain::account::{Registration, Role};
use crate::domain::comment::{AuthorName, CommentAuthor, CommentBody, Email, NewComment};
use crate::domain::department::{DepartmentInput, TARGET_DAYS_DEFAULT};
use crate::domain::post::PostTitle;
use crate::domain::response::{ResponseState, Transition};
use crate::domain::time;
use crate::mail::MailContext;
use crate::services::comments::{post_comment_at, PostCommentError};
use crate::services::departments::{self, DepartmentError};
use crate::services::officials::{self, GrantTarget};
use crate::services::posts::{create_post, CreatePost, CreatePostError};
use crate::services::{accounts, responses};

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the database already has {0} posts; the demo only fills an empty database")]
    NotEmpty(i64),
    #[error(transparent)]
    Post(#[from] CreatePostError),
    #[error(transparent)]
    Comment(#[from] PostCommentError),
    #[error(transparent)]
    Department(#[from] DepartmentError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

pub struct DemoSummary {
    pub departments: usize,
    pub posts: Vec<(String, String)>,
    pub comments: usize,
    pub big_post_slug: String,
    pub deepest: i32,
    /// (email, what the account is) for each demo account.
    pub accounts: Vec<(String, String)>,
    /// The demo accounts' password, made up for this database.
    pub password: String,
}

/// The demo's accounts: an admin, a moderator, and two verified officials.
struct People {
    accounts: Vec<(String, String)>,
    password: String,
    moderator: i64,
    /// (user id, official role id) of each official.
    officials: Vec<(i64, i64)>,
}

fn people(conn: &mut AnyConnection) -> Result<People, DemoError> {
    const WORDS: [&str; 12] = [
        "kettle", "harbour", "lantern", "meadow", "copper", "violet", "orbit", "saddle", "pepper", "willow", "marble",
        "tundra",
    ];
    // Not from the seeded generator: each demo database gets its own password.
    let mut rng = rand::thread_rng();
    let password = (0..5).map(|_| WORDS.choose(&mut rng).copied().unwrap_or("kettle")).collect::<Vec<_>>().join("-");
    let mut accounts = Vec::new();
    let mut create = |conn: &mut AnyConnection, name: &str, email: &str, role: Role, what: &str| {
        let registration = Registration::parse(name, email, &password).map_err(|_| demo_text_invalid())?;
        let user = accounts::create_user(conn, &registration, role).map_err(|e| match e {
            accounts::AccountError::Database(e) => DemoError::Database(e),
            _ => demo_text_invalid(),
        })?;
        db::users::set_email_verified(conn, user.id, time::now())?;
        accounts.push((email.to_owned(), what.to_owned()));
        Ok::<_, DemoError>(user.id)
    };
    create(conn, "Ada Admin", "admin@example.org", Role::Admin, "admin")?;
    let moderator = create(conn, "Mo Khan", "moderator@example.org", Role::Moderator, "moderator")?;
    let jane = create(conn, "Jane Doe", "jane.doe@dwp.example.org", Role::Reader, "Chief Technology Officer, DWP")?;
    let hari = create(conn, "Hari Patel", "hari.patel@hmrc.example.org", Role::Reader, "Chief Digital Officer, HMRC")?;
    let grant = |conn: &mut AnyConnection, email: &str, acronym: &str, title: &str| {
        officials::grant(conn, &GrantTarget { email, department_acronym: acronym }, title, None).map_err(|e| match e {
            officials::OfficialError::Database(e) => DemoError::Database(e),
            _ => demo_text_invalid(),
        })
    };
    let jane_role = grant(conn, "jane.doe@dwp.example.org", "DWP", "Chief Technology Officer")?;
    let hari_role = grant(conn, "hari.patel@hmrc.example.org", "HMRC", "Chief Digital Officer")?;
    Ok(People { accounts, password, moderator, officials: vec![(jane, jane_role), (hari, hari_role)] })
}

/// Routes, acknowledges, refers and closes some of the comments, as a moderator and
/// the officials would, so the demo shows every response state.
fn triage(conn: &mut AnyConnection, mail: &MailContext, post_id: i64, people: &People) -> Result<(), DemoError> {
    let Some(moderator) = responses::actor(conn, people.moderator)? else { return Ok(()) };
    let open = db::responses::open_comments(conn, post_id, &[ResponseState::Awaiting], 120)?;
    let departments = db::departments::list(conn)?;
    let department = |acronym: &str| departments.iter().find(|d| d.acronym == acronym).map(|d| d.id);
    for (n, (id, _, _)) in open.iter().enumerate() {
        let step = match n % 8 {
            0 => Some(("DWP", None)),
            1 => Some(("HMRC", Some(Transition::Acknowledge { note: Some("We are looking into this.".into()) }))),
            2 => Some((
                "DWP",
                Some(Transition::Refer {
                    to: "HR service desk".into(),
                    note: Some("They look after log-in accounts.".into()),
                }),
            )),
            3 => Some(("HMRC", None)),
            5 => Some(("GDS", Some(Transition::NoResponseNeeded { reason: "thanks only".into(), note: None }))),
            _ => None,
        };
        let Some((acronym, transition)) = step else { continue };
        responses::route(conn, mail, &moderator, &[*id], department(acronym)).map_err(demo_response_error)?;
        if let Some(transition) = transition {
            let official = match acronym {
                "DWP" => people.officials.first(),
                "HMRC" => people.officials.get(1),
                _ => None,
            };
            let actor = match official {
                Some((user, _)) if !matches!(transition, Transition::NoResponseNeeded { .. }) => {
                    responses::actor(conn, *user)?
                }
                _ => Some(moderator.clone()),
            };
            if let Some(actor) = actor {
                responses::change_state(conn, mail, &actor, *id, &transition).map_err(demo_response_error)?;
            }
        }
    }
    Ok(())
}

fn demo_response_error(error: responses::ResponseError) -> DemoError {
    match error {
        responses::ResponseError::Database(e) => DemoError::Database(e),
        other => DemoError::Database(diesel::result::Error::QueryBuilderError(other.to_string().into())),
    }
}

/// Fills an empty database: departments, two posts, and a threaded discussion of
/// `comments` comments with replies up to depth 5.
///
/// The set-up is one transaction; each comment is then its own, as on a live site (one
/// transaction of thousands of comments would rewrite the post's row thousands of
/// times, which PostgreSQL makes slower with every update).
pub fn fill(conn: &mut AnyConnection, mail: &MailContext, comments: usize) -> Result<DemoSummary, DemoError> {
    let mut rng = StdRng::seed_from_u64(2026);
    let now = time::now();
    let started = now - TimeDelta::days(30);
    let (small, big, people) = db::transaction(conn, |conn| {
        let existing = db::posts::count_all(conn)?;
        if existing > 0 {
            return Err(DemoError::NotEmpty(existing));
        }
        for (name, acronym, description, aliases) in DEPARTMENTS {
            let input = DepartmentInput {
                name: (*name).to_owned(),
                acronym: (*acronym).to_owned(),
                description: (*description).to_owned(),
                aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
                email_domains: Vec::new(),
                target_days: TARGET_DAYS_DEFAULT,
            };
            departments::create(conn, &input, None)?;
        }
        let small = create_post(
            conn,
            CreatePost {
                title: title("How we will answer your comments"),
                slug: None,
                body_md: SMALL_POST,
                author_name: "The blog team",
                comments_open: true,
                published_at: Some(started - TimeDelta::days(2)),
            },
        )?;
        let big = create_post(
            conn,
            CreatePost {
                title: title("We are fixing IT: here is the plan"),
                slug: None,
                body_md: BIG_POST,
                author_name: "Permanent Secretary",
                comments_open: true,
                published_at: Some(started),
            },
        )?;
        let people = people(conn)?;
        Ok::<_, DemoError>((small, big, people))
    })?;
    {
        let small_comments = comments.min(3);
        // Past a size, the rest of the big discussion is generated in bulk.
        let one_by_one = (comments - small_comments).min(BULK_AFTER);
        let bulk = comments - small_comments - one_by_one;
        discussion(conn, mail, &mut rng, small.id, small_comments, started - TimeDelta::days(2), &[])?;
        let mut deepest = discussion(conn, mail, &mut rng, big.id, one_by_one, started, &people.officials)?;
        triage(conn, mail, big.id, &people)?;
        if bulk > 0 {
            let generated = db::transaction(conn, |conn| generate_bulk(conn, &mut rng, big.id, bulk, now))?;
            deepest = deepest.max(generated);
            // Fresh statistics (and, on PostgreSQL, a visibility map for index-only
            // counts), as autovacuum would give a table that grew this much.
            match conn {
                AnyConnection::Postgresql(c) => diesel::sql_query("VACUUM (ANALYZE) comments").execute(c)?,
                AnyConnection::Sqlite(c) => diesel::sql_query("ANALYZE").execute(c)?,
            };
        }
        Ok(DemoSummary {
            departments: DEPARTMENTS.len(),
            big_post_slug: big.slug.clone(),
            posts: vec![(big.slug, big.title), (small.slug, small.title)],
            comments,
            deepest,
            accounts: people.accounts,
            password: people.password,
        })
    }
}

/// Comments written one by one through the comment service; the rest in bulk.
const BULK_AFTER: usize = 5_000;

fn generate_bulk(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    post_id: i64,
    count: usize,
    now: chrono::NaiveDateTime,
) -> Result<i32, DemoError> {
    let first_id = db::comments::max_id(conn)? + 1;
    let answerers: Vec<Answerer> = db::officials::all_listings(conn)?
        .into_iter()
        .map(|o| Answerer {
            user_id: o.user_id,
            role_id: o.role_id,
            department_id: o.department_id,
            name: o.user_name,
            email: o.user_email,
            title: o.title,
            department: o.department_name,
            acronym: o.department_acronym,
        })
        .collect();
    let departments: Vec<i64> = db::departments::list(conn)?.into_iter().map(|d| d.id).collect();
    let calendar = responses::calendar(conn)?;
    let texts = Texts { openings: OPENINGS, replies: REPLIES, answers: ANSWERS, first: FIRST, last: LAST };
    // PostgreSQL keeps every version of a row a transaction rewrites: a million
    // trigger updates of a few counter rows in one transaction would crawl, so the
    // totals are counted once at the end instead.
    if let AnyConnection::Postgresql(c) = conn {
        diesel::sql_query("ALTER TABLE comments DISABLE TRIGGER comments_counted").execute(c)?;
    }
    let deepest =
        demo_bulk::generate(conn, rng, post_id, first_id, count, now, &answerers, &departments, &calendar, &texts)?;
    if let AnyConnection::Postgresql(c) = conn {
        diesel::sql_query("ALTER TABLE comments ENABLE TRIGGER comments_counted").execute(c)?;
    }
    db::figures::recount_departments(conn)?;
    if let AnyConnection::Postgresql(c) = conn {
        // Ids were given explicitly: move the sequence past them.
        diesel::sql_query("SELECT setval(pg_get_serial_sequence('comments', 'id'), (SELECT MAX(id) FROM comments))")
            .execute(c)?;
    }
    Ok(deepest)
}

fn title(text: &str) -> PostTitle {
    PostTitle::parse(text).unwrap_or_else(|_| unreachable!("demo titles are valid"))
}

/// Writes `count` comments on a post, spread over the days after `start`; returns the
/// deepest depth reached.
fn discussion(
    conn: &mut AnyConnection,
    mail: &MailContext,
    rng: &mut StdRng,
    post_id: i64,
    count: usize,
    start: chrono::NaiveDateTime,
    officials: &[(i64, i64)],
) -> Result<i32, DemoError> {
    let mut written: Vec<(i64, i32)> = Vec::with_capacity(count);
    let mut at = start;
    let step = (30 * 24 * 60 / count.max(1)).max(1) as i64;
    for n in 0..count {
        at += TimeDelta::minutes(rng.gen_range(1..=step));
        // Every fifth comment starts a thread; replies favour recent comments so that
        // some conversations run deep.
        let parent = if n == 0 || rng.gen_ratio(1, 5) {
            None
        } else {
            let recent = &written[written.len().saturating_sub(12)..];
            recent.choose(rng).filter(|(_, depth)| *depth < 5).copied()
        };
        let text = match parent {
            None => OPENINGS.choose(rng),
            Some(_) => REPLIES.choose(rng),
        };
        let detail = DETAILS.choose(rng).copied().unwrap_or_default();
        let body = format!("{} {detail}", text.copied().unwrap_or_default());
        let first = FIRST.choose(rng).copied().unwrap_or("Sam");
        let last = LAST.choose(rng).copied().unwrap_or("Taylor");
        // Now and then an official answers a complaint that opened a thread.
        if let (Some((parent_id, 0)), Some((user_id, role_id))) = (parent, officials.choose(rng)) {
            if rng.gen_ratio(1, 7) {
                let answer = NewComment {
                    author: CommentAuthor::Member { user_id: *user_id, as_official: Some(*role_id) },
                    body: CommentBody::parse(ANSWERS.choose(rng).copied().unwrap_or(ANSWERS[0]))
                        .map_err(|_| demo_text_invalid())?,
                    parent_id: Some(parent_id),
                    also_answers: Vec::new(),
                    email_me: false,
                };
                let id = post_comment_at(conn, mail, post_id, &answer, at.min(time::now()))?;
                written.push((id, 1));
                continue;
            }
        }
        let comment = NewComment {
            author: CommentAuthor::Guest {
                name: AuthorName::parse(&format!("{first} {last}")).map_err(|_| demo_text_invalid())?,
                email: Email::parse(&format!("{}.{}@example.org", first.to_lowercase(), last.to_lowercase()))
                    .map_err(|_| demo_text_invalid())?,
            },
            body: CommentBody::parse(&body).map_err(|_| demo_text_invalid())?,
            parent_id: parent.map(|(id, _)| id),
            also_answers: Vec::new(),
            email_me: false,
        };
        let id = post_comment_at(conn, mail, post_id, &comment, at.min(time::now()))?;
        written.push((id, parent.map_or(0, |(_, depth)| depth + 1)));
    }
    Ok(written.iter().map(|(_, d)| *d).max().unwrap_or(0))
}

fn demo_text_invalid() -> DemoError {
    DemoError::Database(diesel::result::Error::QueryBuilderError("demo text failed validation".into()))
}
