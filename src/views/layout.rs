use maud::{html, Markup, DOCTYPE};

use super::assets::STYLESHEET;

/// The one page layout: skip link, header with navigation, main landmark, footer.
pub fn page(title: &str, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – Answerable" }
                link rel="stylesheet" href=(STYLESHEET.href());
            }
            body {
                a.skip-link href="#main" { "Skip to main content" }
                header.site-header {
                    div.wrap {
                        a.site-name href="/" { "Answerable" }
                        nav.site-nav aria-label="Site" {
                            ul {
                                li { a href="/" { "Posts" } }
                            }
                        }
                    }
                }
                main.wrap #main tabindex="-1" { (main) }
                footer.site-footer {
                    div.wrap {
                        p { "Comments are public. Officials answer with a verified badge issued by this site." }
                    }
                }
            }
        }
    }
}
