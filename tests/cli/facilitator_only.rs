//! Facilitator-only text (`facilitator`, `say` and `adapt` blocks, `facilitator.md`) never
//! reaches a participant page, a handout or a packet, and always reaches the guide and
//! the binders. Every secret in `tests/fixtures/facilitator-only` starts with `SECRET`.

use crate::support::{Project, is_facilitator_page};

/// The English module's facilitator-only words, each from a different place.
const EN_SECRETS: &[&str] = &[
    "SECRETFAC1",      // a `facilitator` block in index.md
    "SECRETSAY1",      // a `say` block nested in an `activity`
    "SECRETADAPT1",    // an `adapt {format=virtual}` nested in the same activity
    "SECRETADAPT2",    // a top-level `adapt` block
    "SECRETSAYTITLE1", // the `title=` of a `say` block
    "SECRETGUIDE1",    // facilitator.md's body
    "SECRETGUIDE2",    // a `facilitator` block in facilitator.md
    "SECRETMATERIAL1", // facilitator.md's `materials`
    "SECRETPREP1",     // facilitator.md's `preparation`
];

const ES_SECRETS: &[&str] = &[
    "SECRETOFAC1",
    "SECRETODIGA1",
    "SECRETOADAPT1",
    "SECRETOADAPT2",
    "SECRETODIGATITULO1",
    "SECRETOGUIA1",
    "SECRETOGUIA2",
    "SECRETOMATERIAL1",
    "SECRETOPREP1",
];

#[test]
fn no_facilitator_text_reaches_any_participant_page() {
    // With an address, so that the sitemap is written and read too.
    let project = Project::fixture("facilitator-only");
    project
        .hearth(&[
            "build",
            "--out",
            "public",
            "--base-url",
            "https://example.org/",
        ])
        .success();
    let site = project.site();
    let files = site.snapshot();
    let participant: Vec<&String> = files.keys().filter(|f| !is_facilitator_page(f)).collect();
    // The check is only worth something if the pages that matter are among those read.
    for must in [
        "en/circle/index.html",
        "en/circle/handouts/notes/index.html",
        "en/print/circle/index.html",
        "en/print/handouts/index.html",
        "es/el-circulo/index.html",
        "es/el-circulo/handouts/mis-notas/index.html",
        "es/print/el-circulo/index.html",
        "es/print/handouts/index.html",
        "en/programs/one/index.html",
        "sitemap.xml",
        "assets/search/en.js",
        "assets/search/es.js",
        "assets/search/en/w-p.js",
        "assets/search/es/w-t.js",
    ] {
        assert!(
            participant.iter().any(|p| *p == must),
            "{must} is not among the participant pages"
        );
    }
    for path in participant {
        let text = String::from_utf8_lossy(&files[path]).into_owned();
        // The search index keeps words folded to lowercase.
        assert!(
            !text.to_lowercase().contains("secret"),
            "facilitator-only text in {path}:\n{text}"
        );
    }
    // The facilitator index has them, so the check above reads the words they would be.
    let guides: String = files
        .iter()
        .filter(|(path, _)| path.starts_with("assets/search/en-facilitator"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .collect();
    assert!(guides.contains("\"secretfac1\""), "{guides}");
}

#[test]
fn participant_pages_keep_the_text_around_hidden_blocks() {
    let site = Project::fixture("facilitator-only").built();
    let module = site.page("en/circle/index.html").html();
    for word in ["PUBLICTEXT1", "PUBLICTEXT2", "Pair talk"] {
        assert!(module.contains(word), "the module page lost `{word}`");
    }
    let packet = site.page("es/print/el-circulo/index.html").html();
    for word in ["TEXTOPUBLICO1", "TEXTOPUBLICO2", "TEXTOPUBLICO3"] {
        assert!(packet.contains(word), "the Spanish packet lost `{word}`");
    }
    assert!(
        site.page("en/print/handouts/index.html")
            .html()
            .contains("PUBLICTEXT3")
    );
}

#[test]
fn every_facilitator_text_reaches_the_guide_and_the_binders() {
    let site = Project::fixture("facilitator-only").built();
    for (lang, slug, secrets) in [
        ("en", "circle", EN_SECRETS),
        ("es", "el-circulo", ES_SECRETS),
    ] {
        for page in [
            format!("{lang}/{slug}/facilitator/index.html"),
            format!("{lang}/print/facilitator/index.html"),
            format!("{lang}/print/programs/one/index.html"),
        ] {
            let html = site.page(&page).html();
            for secret in secrets {
                assert!(html.contains(secret), "{page} is missing `{secret}`");
            }
        }
    }
}

#[test]
fn facilitator_blocks_are_marked_as_such_in_the_guide() {
    let site = Project::fixture("facilitator-only").built();
    let guide = site.page("en/circle/facilitator/index.html");
    let say = guide.texts(".block-say");
    assert!(say.iter().any(|t| t.contains("SECRETSAY1")), "{say:?}");
    let adapt = guide.texts(".block-adapt.format-virtual");
    assert!(
        adapt.iter().any(|t| t.contains("SECRETADAPT1")),
        "{adapt:?}"
    );
    let fac = guide.texts(".block-facilitator");
    assert!(fac.iter().any(|t| t.contains("SECRETFAC1")), "{fac:?}");
    // The nested `say` sits inside its activity.
    assert!(
        guide
            .texts(".block-activity .block-say")
            .iter()
            .any(|t| t.contains("SECRETSAY1"))
    );
}

#[test]
fn a_say_block_inside_a_list_item_never_reaches_participants() {
    let project = Project::fixture("facilitator-only");
    project.append(
        "content/en/modules/01-circle/index.md",
        "\n1. Pair up.\n\n   ::: say\n   Say this to the pairs: SECRETLIST1.\n   :::\n",
    );
    let run = project.build();
    // Either hearth understands the nested block or it refuses it; it must never publish it.
    if run.code == Some(0) {
        let page = project.site().page("en/circle/index.html").html();
        assert!(
            !page.contains("SECRETLIST1"),
            "facilitator-only text on the participant page"
        );
    } else {
        run.exits(1);
    }
}

/// The cases that leaked before blocks were found the way CommonMark finds containers:
/// a `say` in a block quote, a tab-indented `facilitator` block in a list item, and an
/// `adapt` after ```` ```bash` ```` (a near-fence CommonMark reads as text).
#[test]
fn blocks_in_quotes_tab_indented_items_and_after_near_fences_stay_hidden() {
    let site = Project::fixture("containers").built();
    for (path, bytes) in site.snapshot() {
        let text = String::from_utf8_lossy(&bytes);
        if !is_facilitator_page(&path) {
            assert!(!text.contains("SECRET"), "facilitator-only text in {path}");
        }
    }
    let page = site.text("en/quotes/index.html");
    for shown in ["PUBLICQUOTE", "PUBLICLIST", "PUBLICNEAR", "PUBLICHTML"] {
        assert!(page.contains(shown), "{shown} is missing:\n{page}");
    }
    let guide = site.page("en/quotes/facilitator/index.html");
    for (secret, block) in [
        ("SECRETQUOTE", "say"),
        ("SECRETTAB", "facilitator"),
        ("SECRETNEAR", "adapt"),
    ] {
        let texts = guide.texts(&format!(".block-{block}"));
        assert!(
            texts.iter().any(|t| t.contains(secret)),
            "{secret} is not in a `{block}` block of the guide: {texts:?}"
        );
    }
    assert_eq!(
        guide.texts("blockquote .block-say").len(),
        1,
        "the say block stays inside its quote"
    );
}

/// A line shaped like the renderer's old internal markers (a comment starting with U+E000
/// and `open:99`) once indexed out of bounds and panicked the build; now it is an HTML
/// comment like any other, and cleaned away.
#[test]
fn a_line_shaped_like_an_internal_marker_is_only_a_comment() {
    let project = Project::fixture("containers");
    let check = project.check();
    check.exits(0);
    assert!(!check.stderr.contains("panicked"), "{check}");
    let site = project.built();
    assert!(!site.text("en/quotes/index.html").contains("open:99"));
}

/// A `:::` line that CommonMark reads as part of something else would show its text: it
/// is an error at its line, never a silent leak.
#[test]
fn a_block_commonmark_cannot_see_is_an_error_at_its_line() {
    let project = Project::fixture("containers");
    let module = "content/en/modules/01-quotes/index.md";
    project.append(
        module,
        "\n<div>\n::: say\nSECRETHTML\n:::\n</div>\n\n```\n::: facilitator\nSECRETCODE\n:::\n```\n\n> ::: say\n> SECRETLAZY\n:::\n",
    );
    let check = project.check();
    check.exits(1);
    let html = project.line_of(module, "<div>") + 1;
    let code = project.line_of(module, "SECRETCODE") - 1;
    let lazy = project.line_of(module, "SECRETLAZY") + 1;
    assert!(
        check
            .error_at(&format!("{module}:{html}:1"))
            .message
            .contains("inside raw HTML")
    );
    assert!(
        check
            .error_at(&format!("{module}:{code}:1"))
            .message
            .contains("inside a code block")
    );
    assert!(
        check
            .error_at(&format!("{module}:{lazy}:1"))
            .message
            .contains("not in the same quote or list item")
    );
    project.build().exits(1);
    assert!(
        !project.path("public").exists(),
        "a failed build writes nothing"
    );
}
