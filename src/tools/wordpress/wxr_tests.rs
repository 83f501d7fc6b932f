use super::*;

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Staff blog</title>
  <link>https://blog.example.org</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>https://blog.example.org</wp:base_site_url>
  <wp:author><wp:author_login><![CDATA[admin]]></wp:author_login><wp:author_display_name><![CDATA[Pat Lee]]></wp:author_display_name></wp:author>
"#;

fn entries(xml: &str) -> Result<Vec<Entry>, WxrError> {
    let mut reader = WxrReader::new(xml.as_bytes());
    let mut out = Vec::new();
    while let Some(entry) = reader.next_entry()? {
        out.push(entry);
    }
    Ok(out)
}

#[test]
fn posts_and_comments_come_out_in_order() {
    let xml = format!(
        "{HEAD}<item><title>We are fixing IT &amp; more</title><pubDate>Mon, 01 Jan 2018 10:00:00 +0000</pubDate>
<dc:creator><![CDATA[admin]]></dc:creator><content:encoded><![CDATA[<p>Hello</p>]]></content:encoded>
<wp:post_id>7</wp:post_id><wp:post_date_gmt>2018-01-01 10:00:00</wp:post_date_gmt><wp:comment_status>closed</wp:comment_status>
<wp:post_name>fixing-it</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain=\"category\" nicename=\"it\"><![CDATA[IT]]></category><category domain=\"post_tag\" nicename=\"x\">x</category>
<wp:comment><wp:comment_id>3</wp:comment_id><wp:comment_author><![CDATA[Sam]]></wp:comment_author>
<wp:comment_date>2018-01-02 09:00:00</wp:comment_date><wp:comment_date_gmt>0000-00-00 00:00:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[Log-in takes 9 minutes]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved>
<wp:comment_type/><wp:comment_parent>0</wp:comment_parent></wp:comment>
</item></channel></rss>"
    );
    let all = entries(&xml).unwrap();
    assert_eq!(all[0], Entry::Author { login: "admin".into(), display_name: "Pat Lee".into() });
    assert_eq!(all[1], Entry::Site("https://blog.example.org".into()));
    let Entry::Post(post) = &all[2] else { panic!("{all:?}") };
    assert_eq!((post.wp_id, post.title.as_str(), post.slug.as_str()), (7, "We are fixing IT & more", "fixing-it"));
    assert_eq!(post.categories, vec!["IT".to_owned()]);
    assert!(!post.comments_open);
    assert_eq!(post.date.unwrap().to_string(), "2018-01-01 10:00:00");
    let Entry::Comment(comment) = &all[3] else { panic!("{all:?}") };
    assert_eq!((comment.post_wp_id, comment.wp_id, comment.approved.as_str()), (7, 3, "1"));
    assert_eq!(comment.date.to_string(), "2018-01-02 09:00:00");
    assert_eq!(all.len(), 4);
}

#[test]
fn a_cut_short_file_names_where_it_ends() {
    let xml = format!(
        "{HEAD}<item><title>T</title>\n<wp:post_id>1</wp:post_id>\n<wp:comment><wp:comment_id>2</wp:comment_id>"
    );
    let err = entries(&xml).unwrap_err().to_string();
    assert!(err.contains("ends at line 11 inside <wp:comment>"), "{err}");
    assert!(err.contains("<item> starting at line 9"), "{err}");
}

#[test]
fn mismatched_tags_and_bad_numbers_name_the_line() {
    let xml = format!("{HEAD}<item><title>T</titel></item></channel></rss>");
    let err = entries(&xml).unwrap_err().to_string();
    assert!(err.starts_with("line 9:") && err.contains("not well formed"), "{err}");
    let xml = format!("{HEAD}<item>\n<wp:post_id>seven</wp:post_id></item></channel></rss>");
    let err = entries(&xml).unwrap_err().to_string();
    assert!(err.starts_with("line 10: <wp:post_id> should be a number, not `seven`"), "{err}");
}

#[test]
fn other_xml_is_not_taken_for_an_export() {
    let err = entries("<feed><entry/></feed>").unwrap_err().to_string();
    assert!(err.contains("not a WordPress export") && err.contains("<feed>"), "{err}");
    let err = entries("<rss><channel><title>x</title></channel></rss>").unwrap_err().to_string();
    assert!(err.contains("no <wp:wxr_version>"), "{err}");
}
