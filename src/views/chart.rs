//! A grouped bar chart drawn on the server as inline SVG: no JavaScript, readable in
//! old browsers. The SVG is an image with a title and description; a table of the same
//! numbers follows it for screen readers and for anyone who wants exact values.

use maud::{html, Markup};

/// One group of bars: a short axis label, a full label for the table, and one value
/// per series.
#[derive(Debug, Clone)]
pub struct Group {
    pub short: String,
    pub long: String,
    pub values: [i64; 2],
}

/// A chart of two series over the same groups.
#[derive(Debug, Clone)]
pub struct BarChart<'a> {
    /// Prefix for the element ids (title, description, table caption).
    pub id: &'a str,
    pub title: &'a str,
    pub description: String,
    pub group_heading: &'a str,
    pub series: [&'a str; 2],
    pub groups: Vec<Group>,
}

const WIDTH: i64 = 640;
const HEIGHT: i64 = 300;
const LEFT: i64 = 44;
const RIGHT: i64 = 8;
const TOP: i64 = 40;
const BOTTOM: i64 = 36;
const PLOT_WIDTH: i64 = WIDTH - LEFT - RIGHT;
const PLOT_HEIGHT: i64 = HEIGHT - TOP - BOTTOM;
/// Fill colours: a light grey and a dark blue tell apart by lightness alone.
const FILLS: [&str; 2] = ["#b1b4b6", "#1d70b8"];

/// The top of the y axis and its step: a round number at or above `max`, in at most
/// five steps of 1, 2 or 5 × a power of ten.
pub fn axis_scale(max: i64) -> (i64, i64) {
    if max <= 0 {
        return (4, 1);
    }
    let mut power = 1;
    loop {
        for factor in [1, 2, 5] {
            let step = factor * power;
            if step * 5 >= max {
                let top = (max + step - 1) / step * step;
                return (top.max(step), step);
            }
        }
        power = power.saturating_mul(10);
    }
}

/// Height in pixels of a bar for `value` on an axis that tops at `top`.
fn scaled(value: i64, top: i64) -> i64 {
    (value.max(0) * PLOT_HEIGHT + top / 2) / top.max(1)
}

/// The chart as an SVG image followed by a table of its data.
pub fn bar_chart(chart: &BarChart) -> Markup {
    let title_id = format!("{}-title", chart.id);
    let desc_id = format!("{}-desc", chart.id);
    let max = chart.groups.iter().flat_map(|g| g.values).max().unwrap_or(0);
    let (top, step) = axis_scale(max);
    let groups = i64::try_from(chart.groups.len()).unwrap_or(1).max(1);
    let slot = PLOT_WIDTH / groups;
    let bar = (slot - 8) / 2;
    let label_values = max < 1000;
    html! {
        figure.chart {
            svg xmlns="http://www.w3.org/2000/svg" version="1.1" role="img"
                aria-labelledby=(format!("{title_id} {desc_id}"))
                width=(WIDTH) height=(HEIGHT) viewBox=(format!("0 0 {WIDTH} {HEIGHT}"))
                font-family="Arial, Helvetica, sans-serif" font-size="12" {
                title id=(title_id) { (chart.title) }
                desc id=(desc_id) { (chart.description) }
                rect x="0" y="0" width=(WIDTH) height=(HEIGHT) fill="#ffffff" {}
                @for (i, name) in chart.series.iter().enumerate() {
                    @let x = LEFT + i64::try_from(i).unwrap_or(0) * 130;
                    rect x=(x) y="10" width="14" height="14" fill=(FILLS[i % 2]) stroke="#0b0c0c" stroke-width="1" {}
                    text x=(x + 20) y="22" fill="#0b0c0c" { (name) }
                }
                @for tick in (0..=top).step_by(usize::try_from(step).unwrap_or(1).max(1)) {
                    @let y = TOP + PLOT_HEIGHT - scaled(tick, top);
                    line x1=(LEFT) x2=(WIDTH - RIGHT) y1=(y) y2=(y) stroke=(if tick == 0 { "#0b0c0c" } else { "#dbe3ea" }) stroke-width="1" {}
                    text x=(LEFT - 6) y=(y + 4) text-anchor="end" fill="#505a5f" { (tick) }
                }
                @for (i, group) in chart.groups.iter().enumerate() {
                    @let left = LEFT + i64::try_from(i).unwrap_or(0) * slot + 4;
                    @for (s, value) in group.values.iter().enumerate() {
                        @let height = scaled(*value, top);
                        @let x = left + i64::try_from(s).unwrap_or(0) * bar;
                        rect x=(x) y=(TOP + PLOT_HEIGHT - height) width=(bar - 1) height=(height) fill=(FILLS[s % 2]) {}
                        @if label_values && *value > 0 {
                            text x=(x + bar / 2) y=(TOP + PLOT_HEIGHT - height - 3) text-anchor="middle" font-size="10" fill="#0b0c0c" { (value) }
                        }
                    }
                    text x=(left + bar) y=(HEIGHT - BOTTOM + 16) text-anchor="middle" font-size="11" fill="#0b0c0c" { (group.short) }
                }
            }
            table.chart-data {
                caption id=(format!("{}-caption", chart.id)) { (chart.title) }
                thead {
                    tr {
                        th scope="col" { (chart.group_heading) }
                        @for name in chart.series { th.numeric scope="col" { (name) } }
                    }
                }
                tbody {
                    @for group in &chart.groups {
                        tr {
                            th scope="row" { (group.long) }
                            @for value in group.values { td.numeric { (crate::domain::thousands(value)) } }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(values: &[[i64; 2]]) -> String {
        bar_chart(&BarChart {
            id: "trend",
            title: "Received and answered",
            description: "Twelve weeks <of> data".into(),
            group_heading: "Week starting",
            series: ["Received", "Answered"],
            groups: values
                .iter()
                .enumerate()
                .map(|(i, v)| Group { short: format!("W{i}"), long: format!("Week {i}"), values: *v })
                .collect(),
        })
        .into_string()
    }

    #[test]
    fn the_axis_tops_at_a_round_number() {
        assert_eq!(axis_scale(0), (4, 1));
        assert_eq!(axis_scale(3), (3, 1));
        assert_eq!(axis_scale(7), (8, 2));
        assert_eq!(axis_scale(10), (10, 2));
        assert_eq!(axis_scale(23), (25, 5));
        assert_eq!(axis_scale(48), (50, 10));
        assert_eq!(axis_scale(1234), (1500, 500));
    }

    #[test]
    fn bars_scale_to_the_plot() {
        assert_eq!(scaled(0, 10), 0);
        assert_eq!(scaled(10, 10), PLOT_HEIGHT);
        assert_eq!(scaled(5, 10), PLOT_HEIGHT / 2);
    }

    #[test]
    fn the_chart_is_a_labelled_image_with_a_table_of_its_data() {
        let svg = chart(&[[3, 1], [0, 0], [7, 7]]);
        assert!(svg.contains(r#"role="img" aria-labelledby="trend-title trend-desc""#), "{svg}");
        assert!(svg.contains(r#"<title id="trend-title">Received and answered</title>"#));
        assert!(svg.contains("Twelve weeks &lt;of&gt; data"), "text is escaped");
        assert_eq!(svg.matches("<tr>").count(), 4, "a header row and one per group");
        assert!(svg.contains(r#"<th scope="row">Week 2</th><td class="numeric">7</td><td class="numeric">7</td>"#));
        assert!(!svg.contains("<script"));
        // Six bars and two legend keys, plus the background.
        assert_eq!(svg.matches("<rect").count(), 9);
    }
}
