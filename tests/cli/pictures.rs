//! Pictures for phones: a JPEG or PNG gets smaller copies offered with `srcset`, its size
//! as `width`/`height`, the original kept; copies come from the cache on a rebuild; a
//! heavy picture gets a warning; and hints name the project's real files, including a
//! picture whose name differs only in capitals.
//!
//! Pictures are generated here rather than kept in the fixtures, so the repository holds
//! no large files.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::time::SystemTime;

use image::codecs::jpeg::JpegEncoder;
use image::{ImageFormat, ImageReader, RgbImage};

use crate::support::{Project, Site};

const MODULE: &str = "content/en/modules/01-first-steps";
const PAGE: &str = "en/first-steps/index.html";

/// A photograph-like JPEG: a gradient with grain, so it compresses as photos do.
fn photo(width: u32, height: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, y| {
        let grain = (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)) % 8;
        image::Rgb([
            (x * 255 / width) as u8 ^ grain as u8,
            (y * 255 / height) as u8,
            ((x + y) % 256) as u8 ^ (grain as u8 >> 1),
        ])
    });
    let mut out = Vec::new();
    img.write_with_encoder(JpegEncoder::new_with_quality(&mut out, 90))
        .expect("encode a JPEG");
    out
}

/// A small PNG drawing.
fn drawing(width: u32, height: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, _| image::Rgb([(x % 256) as u8, 90, 200]));
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .expect("encode a PNG");
    out
}

/// The bilingual fixture with `file` in the first module's `images/`, shown on its
/// English and Spanish pages.
fn with_picture(file: &str, bytes: &[u8]) -> Project {
    let project = Project::fixture("bilingual");
    project.write(&format!("{MODULE}/images/{file}"), bytes);
    project.append(
        &format!("{MODULE}/index.md"),
        &format!("\n![Parents at a school meeting](images/{file})\n"),
    );
    project.append(
        "content/es/modules/01-first-steps/index.md",
        &format!("\n![Madres y padres en una junta escolar](images/{file})\n"),
    );
    project
}

/// Each `srcset` candidate of the page's picture: (URL, width it claims).
fn srcset(site: &Site, page: &str) -> Vec<(String, u32)> {
    let set = site.page(page).attrs("main img[srcset]", "srcset");
    assert_eq!(set.len(), 1, "one picture with copies on {page}");
    set[0]
        .split(", ")
        .map(|candidate| {
            let (url, w) = candidate.split_once(' ').expect("URL and width");
            let w = w.strip_suffix('w').expect("a width descriptor");
            (url.to_owned(), w.parse().expect("a number"))
        })
        .collect()
}

fn dimensions(bytes: &[u8]) -> (u32, u32) {
    ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .expect("a picture")
        .into_dimensions()
        .expect("its size")
}

#[test]
fn a_big_photo_gets_phone_sized_copies_and_keeps_its_original() {
    let original = photo(2000, 1200);
    let project = with_picture("school-meeting.jpg", &original);
    let site = project.built();
    let page = site.page(PAGE);
    let img = |attr| page.attrs("main img[srcset]", attr).concat();
    // The original's size, so the page keeps its place while the picture loads.
    assert_eq!(
        (img("width"), img("height")),
        ("2000".into(), "1200".into())
    );
    assert_eq!(img("loading"), "lazy");
    assert_eq!(img("decoding"), "async");
    assert_eq!(img("alt"), "Parents at a school meeting");
    assert!(img("sizes").contains("40em"), "{}", img("sizes"));
    // `src` stays the original, for print and for browsers without srcset.
    let src = site.locate(PAGE, &img("src")).expect("src resolves");
    assert_eq!(src.file, "en/first-steps/images/school-meeting.jpg");
    assert_eq!(site.snapshot()[&src.file], original);

    let set = srcset(&site, PAGE);
    let widths: Vec<u32> = set.iter().map(|(_, w)| *w).collect();
    assert_eq!(widths, [480, 960, 1440, 2000]);
    for (url, width) in &set[..3] {
        let file = site.locate(PAGE, url).expect("a copy resolves").file;
        assert!(file.starts_with("assets/pictures/"), "{file}");
        let bytes = &site.snapshot()[&file];
        assert_eq!(dimensions(bytes), (*width, width * 1200 / 2000), "{file}");
        assert!(bytes.len() < original.len(), "{file} is not smaller");
    }
    // The Spanish page shows the same copies: one set for both languages.
    let es: Vec<String> = srcset(&site, "es/primeros-pasos/index.html")
        .into_iter()
        .map(|(url, _)| {
            site.locate("es/primeros-pasos/index.html", &url)
                .unwrap()
                .file
        })
        .collect();
    let en: Vec<String> = set
        .iter()
        .map(|(url, _)| site.locate(PAGE, url).unwrap().file)
        .collect();
    assert_eq!(es[..3], en[..3]);
    let copies = site
        .files()
        .into_iter()
        .filter(|f| f.starts_with("assets/pictures/"))
        .count();
    assert_eq!(copies, 3);
}

#[test]
fn a_picture_narrower_than_a_phone_gets_its_size_and_no_copies() {
    let project = with_picture("map.png", &drawing(300, 200));
    let site = project.built();
    let page = site.page(PAGE);
    let img = "main img[src$='map.png']";
    assert_eq!(page.attrs(img, "width"), ["300"]);
    assert_eq!(page.attrs(img, "height"), ["200"]);
    assert!(page.attrs(img, "srcset").is_empty());
    assert!(
        !site
            .files()
            .iter()
            .any(|f| f.starts_with("assets/pictures/"))
    );
    // An SVG is left as it was.
    let svg = "main img[src$='dot.svg']";
    assert_eq!(page.count(svg), 1);
    assert!(page.attrs(svg, "srcset").is_empty() && page.attrs(svg, "width").is_empty());
}

#[test]
fn a_rebuild_takes_the_copies_from_the_cache_without_making_them_again() {
    let project = with_picture("school-meeting.jpg", &photo(1600, 900));
    let first = project.build();
    first.success();
    assert!(first.stdout.contains("Made 3 smaller copies"), "{first}");
    let cache = project.path(".hearth-cache/pictures");
    let made = |dir: &std::path::Path| -> BTreeMap<String, SystemTime> {
        std::fs::read_dir(dir)
            .expect("the cache folder")
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.metadata().unwrap().modified().unwrap(),
                )
            })
            .collect()
    };
    let before = made(&cache);
    assert_eq!(before.len(), 3, "{before:?}");
    let output = project.site().snapshot();

    let second = project.build();
    second.success();
    assert!(
        second.stdout.contains("Made 0 smaller copies") && second.stdout.contains("took 3"),
        "{second}"
    );
    assert_eq!(made(&cache), before, "a copy was written again");
    assert_eq!(project.site().snapshot(), output);

    // A changed picture gets new copies under new names.
    project.write(
        &format!("{MODULE}/images/school-meeting.jpg"),
        photo(1000, 900),
    );
    let third = project.build();
    assert!(third.stdout.contains("Made 2 smaller copies"), "{third}");
}

#[test]
fn check_warns_about_a_heavy_picture_and_says_what_to_do() {
    let project = with_picture("school-meeting.jpg", &photo(2600, 1400));
    let check = project.check();
    check.exits(0);
    let warning = check.warning_at(&format!("{MODULE}/images/school-meeting.jpg"));
    assert!(warning.message.contains("2600 pixels wide"), "{warning:?}");
    let hint = warning.hint.expect("a hint");
    assert!(
        hint.contains("2400 pixels wide") && hint.contains("JPEG"),
        "{hint}"
    );
    // The build warns too, and still builds.
    let build = project.build();
    build.success();
    build.warning_at(&format!("{MODULE}/images/school-meeting.jpg"));
    // A picture within the budget says nothing.
    let light = with_picture("school-meeting.jpg", &photo(1200, 800));
    let check = light.check();
    assert!(
        !check
            .warnings()
            .iter()
            .any(|w| w.location.ends_with(".jpg")),
        "{check}"
    );
}

#[test]
fn a_picture_named_with_other_capitals_gets_the_real_name_and_why_it_matters() {
    let project = Project::fixture("bilingual");
    project.write(
        &format!("{MODULE}/images/School-Meeting.JPG"),
        photo(600, 400),
    );
    let line = project.append(
        &format!("{MODULE}/index.md"),
        "\n![Parents at a school meeting](images/school-meeting.jpg)\n",
    );
    let check = project.check();
    check.exits(1);
    let error = check.error_at(&format!("{MODULE}/index.md:{}:1", line + 1));
    let hint = error.hint.expect("a hint");
    assert!(
        hint.starts_with("did you mean `images/School-Meeting.JPG`?"),
        "{hint}"
    );
    assert!(hint.contains("some web hosts"), "{hint}");
}

#[test]
fn hints_name_the_projects_own_files() {
    let project = Project::fixture("bilingual");
    let index = format!("{MODULE}/index.md");
    let at = project.append(
        &index,
        "\n![A map](https://example.org/map.jpg)\n\n[About](/about/)\n\n[Next](../02-next-steps/)\n\n[Gone](../07-gone/)\n\n[Next](../02-Next-Steps/index.md)\n\n![A dot](images/dott.svg)\n",
    ) + 1;
    let check = project.check();
    let hint_at = |line: usize, severity: &str| {
        let location = format!("{index}:{line}:1");
        let d = match severity {
            "warning" => check.warning_at(&location),
            _ => check.error_at(&location),
        };
        d.hint.unwrap_or_else(|| panic!("no hint at {location}"))
    };
    // A picture from another site: the example is this module's own picture.
    assert!(
        hint_at(at, "warning").contains("`images/dot.svg`"),
        "{check}"
    );
    // A link from the server's root: the example is a real page of the project.
    assert!(
        hint_at(at + 2, "error").contains("`../02-next-steps/index.md`"),
        "{check}"
    );
    // A link to a folder: its index.md, which is there.
    assert!(
        hint_at(at + 4, "error").contains("`../02-next-steps/index.md`"),
        "{check}"
    );
    // A folder that is not there is not offered as if it were.
    assert!(
        !hint_at(at + 6, "error").contains("07-gone/index.md`"),
        "{check}"
    );
    // Capitals only, for a document too.
    let capitals = hint_at(at + 8, "error");
    assert!(
        capitals.starts_with("did you mean `../02-next-steps/index.md`?")
            && capitals.contains("capital"),
        "{capitals}"
    );
    // A misspelt picture: the closest real one.
    assert_eq!(hint_at(at + 10, "error"), "did you mean `images/dot.svg`?");
}

#[test]
fn a_missing_picture_is_not_mistaken_for_another_kind_of_file() {
    let project = Project::fixture("bilingual");
    let index = format!("{MODULE}/index.md");
    let line = project.append(
        &index,
        "
![A map](images/dop.png)
",
    ) + 1;
    let check = project.check();
    let hint = check
        .error_at(&format!("{index}:{line}:1"))
        .hint
        .expect("a hint");
    assert_eq!(
        hint,
        format!(
            "put the file at `{}/images/dop.png`, or correct the path",
            MODULE
        )
    );
}

#[test]
fn marking_a_translation_hints_with_files_that_are_there() {
    let project = Project::fixture("bilingual");
    // A path as the status table prints it is the translation itself (see
    // `translations::mark_accepts_the_path_as_the_table_prints_it…`).
    let run = project.hearth(&["translations", "--mark", "modules/01-first-steps/index.md"]);
    run.success();
    // The source file: its translation, which is there.
    let run = project.hearth(&["translations", "--mark", "content/en/about.md"]);
    assert!(
        run.stderr.contains("instead: `content/es/about.md`"),
        "{run}"
    );
    // A source file with no translation yet: no made-up path.
    project.write("content/en/extra.md", "---\ntitle: Extra\n---\nText.\n");
    let run = project.hearth(&["translations", "--mark", "content/en/extra.md"]);
    assert!(!run.stderr.contains("content/es/extra.md"), "{run}");
    assert!(
        run.stderr
            .contains("no language has a translation of it yet"),
        "{run}"
    );
}

#[test]
fn a_logo_named_with_other_capitals_gets_the_real_name() {
    let project = Project::fixture("bilingual");
    project.write(
        "static/logos/center-logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    project.replace(
        "hearth.yaml",
        "  phone: \"555-0100\"\n",
        "  phone: \"555-0100\"\n  logo: logos/Center-Logo.svg\n  logo_alt: { en: Test Family Center, es: Centro Familiar de Prueba }\n",
    );
    let run = project.check();
    let error = run
        .errors()
        .into_iter()
        .find(|d| d.message.contains("logo"))
        .unwrap_or_else(|| panic!("no logo error:\n{run}"));
    let hint = error.hint.expect("a hint");
    assert!(
        hint.starts_with("did you mean `logos/center-logo.svg`?"),
        "{hint}"
    );
}

#[test]
fn a_new_project_keeps_the_picture_cache_out_of_git() {
    let project = Project::empty();
    project.hearth(&["init", "starter"]).success();
    let ignore = project.read("starter/.gitignore");
    assert!(ignore.lines().any(|l| l == "/.hearth-cache/"), "{ignore}");
    assert!(ignore.lines().any(|l| l == "/public/"), "{ignore}");
}

#[test]
fn every_edition_shows_the_copies_made_once() {
    let project = Project::fixture("editions");
    project.write(
        "content/en/modules/01-welcome/images/circle.jpg",
        photo(1000, 600),
    );
    project.append(
        "content/en/modules/01-welcome/index.md",
        "\n![Parents sitting in a circle](images/circle.jpg)\n",
    );
    let run = project.hearth(&["build", "--all-editions", "--out", "public"]);
    run.success();
    // Two copies (480 and 960), made once for the toolkit's site and both editions.
    assert!(run.stdout.contains("Made 2 smaller copies"), "{run}");
    for folder in ["public", "public/editions/alpha", "public/editions/beta"] {
        let site = project.site_in(folder);
        let page = site
            .html_files()
            .into_iter()
            .find(|p| p.starts_with("en/") && site.text(p).contains("circle.jpg\""))
            .unwrap_or_else(|| panic!("no English page shows the picture in {folder}"));
        let set = srcset(&site, &page);
        assert_eq!(set.len(), 3, "{folder}: {set:?}");
        for (url, _) in &set {
            site.locate(&page, url)
                .unwrap_or_else(|e| panic!("{folder}/{page}: {url}: {e}"));
        }
    }
}

#[test]
fn a_picture_that_cannot_be_read_is_copied_as_it_is_with_a_warning() {
    let project = with_picture("broken.jpg", b"not a picture");
    let build = project.build();
    build.success();
    let warning = build.warning_at(&format!("{MODULE}/images/broken.jpg"));
    assert!(warning.message.contains("cannot be read"), "{warning:?}");
    let site = project.site();
    assert_eq!(
        site.snapshot()["en/first-steps/images/broken.jpg"],
        b"not a picture"
    );
    assert!(
        site.page(PAGE)
            .attrs("main img[srcset]", "srcset")
            .is_empty()
    );
}

#[test]
fn a_bad_slug_gets_the_authors_own_words_as_an_example() {
    let project = Project::fixture("bilingual");
    project.replace(
        "content/es/modules/01-first-steps/index.md",
        "slug: primeros-pasos",
        "slug: \"Primeros Pasos!\"",
    );
    let check = project.check();
    let error = check
        .errors()
        .into_iter()
        .find(|d| d.message.contains("slug"))
        .unwrap_or_else(|| panic!("no slug error:\n{check}"));
    assert_eq!(
        error.hint.as_deref(),
        Some("use lowercase letters, digits and hyphens: `slug: primeros-pasos`")
    );
}
