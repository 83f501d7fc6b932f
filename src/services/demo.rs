//! `answerable demo`: a realistic discussion on a staff blog, written in the project's
//! own words, for trying the site and for benchmarks.

use chrono::TimeDelta;
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use super::comments::{post_comment_at, PostCommentError};
use super::departments::{self, DepartmentError};
use super::posts::{create_post, CreatePost, CreatePostError};
use crate::db::{self, AnyConnection};
use crate::domain::comment::{AuthorName, CommentAuthor, CommentBody, Email, NewComment};
use crate::domain::department::{DepartmentInput, TARGET_DAYS_DEFAULT};
use crate::domain::post::PostTitle;
use crate::domain::time;

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
}

const DEPARTMENTS: &[(&str, &str, &str, &[&str])] = &[
    ("HM Revenue and Customs", "HMRC", "Tax, payments and customs.", &["Revenue and Customs", "the Revenue"]),
    ("Department for Work and Pensions", "DWP", "Welfare, pensions and child maintenance.", &["Work and Pensions"]),
    ("Home Office", "HO", "Immigration, passports, policing.", &["the Home Office"]),
    ("Ministry of Justice", "MoJ", "Courts, prisons, probation.", &["Justice"]),
    ("Government Digital Service", "GDS", "Shared platforms and the blog itself.", &["Digital Service"]),
];

const BIG_POST: &str = "\
Over the last year many of you told us that the tools you use every day get in the way of the work. \
This post sets out what we are changing, and asks you to tell us, in the comments, where it still hurts.

## What we have heard

- Log-ins that take minutes, not seconds.
- Browsers too old for the sites you need.
- Systems that cannot be used without a mouse.
- Training videos blocked by the firewall.

## What happens next

Each department's technology lead will read this thread and answer here, in public, with a verified badge. \
Every comment shows whether it has been answered, so nobody has to ask whether anyone is listening.";

const SMALL_POST: &str = "\
Answerable shows a response state on every comment: *awaiting*, *acknowledged*, *answered*, *referred* \
or *no response needed*. Officials answer with a badge the site issues, never one typed by hand.

If your comment has been waiting longer than the department's response target, it shows as overdue.";

const OPENINGS: &[&str] = &[
    "Logging in takes nine minutes every morning: I time it while the kettle boils.",
    "Our office browser is so old that half the intranet will not load at all.",
    "The case-work system cannot be used without a mouse, and I rely on the keyboard.",
    "The training video we were told to watch is blocked by the firewall.",
    "The laptop restarts for updates in the middle of client calls.",
    "I need three different passwords, each expiring on a different day, to file one report.",
    "Shared drives take so long to open that people email attachments instead.",
    "The VPN drops every twenty minutes when working from home.",
    "Printing a letter takes four clicks and a trip to another floor.",
    "Our screen reader users cannot get past the new timesheet form.",
    "Video calls freeze whenever more than six people join.",
    "The helpdesk closes tickets without fixing anything.",
];

const REPLIES: &[&str] = &[
    "Same here: it has been like this since the last upgrade.",
    "Has anyone actually seen a response to any comment on this post?",
    "We raised this with the helpdesk in spring and heard nothing.",
    "Exactly this. It costs our team hours every week.",
    "Is there a date for when the new laptops arrive in our office?",
    "Could someone from the department confirm whether this is on the list?",
    "A workaround that helps us: keep the old client open in a second window.",
    "It is worse on Mondays, when everyone logs in at once.",
    "Thanks for raising it; I thought it was only our building.",
    "I tried the keyboard shortcuts in the guide and they do nothing.",
    "Our manager says it is a known issue, but nobody knows who owns it.",
    "This was promised as fixed last year.",
];

const DETAILS: &[&str] = &[
    "",
    "",
    "We are in the **Leeds** office.",
    "This affects the whole team of twelve.",
    "It started after the move to the new network.",
    "See the [accessibility guidance](https://www.gov.uk/guidance/accessibility-requirements-for-public-sector-websites-and-apps).",
    "HMRC colleagues in our building say the same.",
    "DWP offices seem to have the same problem.",
];

const FIRST: &[&str] = &[
    "Priya",
    "Tom",
    "Aisha",
    "Gareth",
    "Mei",
    "Oluwaseun",
    "Fiona",
    "Rhys",
    "Sam",
    "Zofia",
    "Callum",
    "Nadia",
    "Ewan",
    "Grace",
];
const LAST: &[&str] = &[
    "Shah", "Evans", "Begum", "Jones", "Chen", "Adeyemi", "MacLeod", "Price", "Taylor", "Nowak", "Reid", "Hussain",
    "Wright",
];

/// Fills an empty database: departments, two posts, and a threaded discussion of
/// `comments` comments with replies up to depth 5.
pub fn fill(conn: &mut AnyConnection, comments: usize) -> Result<DemoSummary, DemoError> {
    conn.transaction(|conn| {
        let existing = db::posts::count_all(conn)?;
        if existing > 0 {
            return Err(DemoError::NotEmpty(existing));
        }
        let now = time::now();
        for (name, acronym, description, aliases) in DEPARTMENTS {
            let input = DepartmentInput {
                name: (*name).to_owned(),
                acronym: (*acronym).to_owned(),
                description: (*description).to_owned(),
                aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
                email_domains: Vec::new(),
                target_days: TARGET_DAYS_DEFAULT,
            };
            departments::create(conn, &input)?;
        }
        let mut rng = StdRng::seed_from_u64(2026);
        let started = now - TimeDelta::days(30);
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
        let small_comments = comments.min(3);
        discussion(conn, &mut rng, small.id, small_comments, started - TimeDelta::days(2))?;
        let deepest = discussion(conn, &mut rng, big.id, comments - small_comments, started)?;
        Ok(DemoSummary {
            departments: DEPARTMENTS.len(),
            big_post_slug: big.slug.clone(),
            posts: vec![(big.slug, big.title), (small.slug, small.title)],
            comments,
            deepest,
        })
    })
}

fn title(text: &str) -> PostTitle {
    PostTitle::parse(text).unwrap_or_else(|_| unreachable!("demo titles are valid"))
}

/// Writes `count` comments on a post, spread over the days after `start`; returns the
/// deepest depth reached.
fn discussion(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    post_id: i64,
    count: usize,
    start: chrono::NaiveDateTime,
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
        let comment = NewComment {
            author: CommentAuthor::Guest {
                name: AuthorName::parse(&format!("{first} {last}")).map_err(|_| demo_text_invalid())?,
                email: Email::parse(&format!("{}.{}@example.org", first.to_lowercase(), last.to_lowercase()))
                    .map_err(|_| demo_text_invalid())?,
            },
            body: CommentBody::parse(&body).map_err(|_| demo_text_invalid())?,
            parent_id: parent.map(|(id, _)| id),
            also_answers: Vec::new(),
        };
        let id = post_comment_at(conn, post_id, &comment, at.min(time::now()))?;
        written.push((id, parent.map_or(0, |(_, depth)| depth + 1)));
    }
    Ok(written.iter().map(|(_, d)| *d).max().unwrap_or(0))
}

fn demo_text_invalid() -> DemoError {
    DemoError::Database(diesel::result::Error::QueryBuilderError("demo text failed validation".into()))
}
