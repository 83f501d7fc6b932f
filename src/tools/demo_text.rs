//! The demo's words: departments, the two posts, and what staff write, in the
//! project's own words (the complaints a "we are fixing IT" post gets).

pub const ANSWERS: &[&str] = &[
    "Thank you. New laptops with a faster log-in reach every office by the end of January.",
    "We have found the cause: an old profile script runs at every log-in. It is removed from next week.",
    "The case-work system will get full keyboard support in the spring release; we are testing it with users now.",
    "The firewall rule blocking training videos was lifted this morning. Please tell us if it still fails.",
];

pub const DEPARTMENTS: &[(&str, &str, &str, &[&str])] = &[
    ("HM Revenue and Customs", "HMRC", "Tax, payments and customs.", &["Revenue and Customs", "the Revenue"]),
    ("Department for Work and Pensions", "DWP", "Welfare, pensions and child maintenance.", &["Work and Pensions"]),
    ("Home Office", "HO", "Immigration, passports, policing.", &["the Home Office"]),
    ("Ministry of Justice", "MoJ", "Courts, prisons, probation.", &["Justice"]),
    ("Government Digital Service", "GDS", "Shared platforms and the blog itself.", &["Digital Service"]),
];

pub const BIG_POST: &str = "\
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

pub const SMALL_POST: &str = "\
Answerable shows a response state on every comment: *awaiting*, *acknowledged*, *answered*, *referred* \
or *no response needed*. Officials answer with a badge the site issues, never one typed by hand.

If your comment has been waiting longer than the department's response target, it shows as overdue.";

pub const OPENINGS: &[&str] = &[
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

pub const REPLIES: &[&str] = &[
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

pub const DETAILS: &[&str] = &[
    "",
    "",
    "We are in the **Leeds** office.",
    "This affects the whole team of twelve.",
    "It started after the move to the new network.",
    "See the [accessibility guidance](https://www.gov.uk/guidance/accessibility-requirements-for-public-sector-websites-and-apps).",
    "HMRC colleagues in our building say the same.",
    "DWP offices seem to have the same problem.",
];

pub const FIRST: &[&str] = &[
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
pub const LAST: &[&str] = &[
    "Shah", "Evans", "Begum", "Jones", "Chen", "Adeyemi", "MacLeod", "Price", "Taylor", "Nowak", "Reid", "Hussain",
    "Wright",
];
