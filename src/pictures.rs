//! Pictures for phones. A JPEG or PNG picture in `content/` is measured when content is
//! loaded ([`measure`]: its size as shown, its bytes, a hash of its content), warned
//! about when it is heavier or wider than a phone needs ([`Measured::over_budget`]), and
//! given smaller copies ([`Variant`]s, [`WIDTHS`] wide, never wider than the original) that
//! pages offer with `srcset`, so a phone on prepaid data loads the size it shows. The
//! original is still copied beside its module, for print and wide screens.
//!
//! Copies are made once and kept in the project's [`CACHE`] folder, named by the
//! original's content hash and the width, so a rebuild, another edition or `serve`
//! takes them from there rather than encoding again ([`make`]). SVG and GIF pictures are
//! left as they are.
//!
//! In: files on disk. Out: measurements, the copies' bytes in the cache, and the list of
//! files to copy into the site; nothing is printed.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, metadata::Orientation};
use sha2::{Digest, Sha256};

/// The widths of the smaller copies, in pixels: a phone, a phone with a sharp screen,
/// and a tablet. Only those narrower than the original are made.
pub const WIDTHS: [u32; 3] = [480, 960, 1440];

/// A picture heavier than this (bytes) gets a warning: 500 KB.
pub const BUDGET_BYTES: u64 = 500 * 1000;

/// A picture wider than this (pixels) gets a warning: wider than any screen needs.
pub const BUDGET_WIDTH: u32 = 2400;

/// Where the copies are kept between builds, below the project's folder.
pub const CACHE: &str = ".hearth-cache/pictures";

/// Where the copies go in the site.
const OUT: &str = "assets/pictures";

/// Changes whenever the way copies are made changes (size, quality, filter), so that no
/// copy made the old way is taken from the cache.
const RECIPE: &str = "triangle-q80-v1";

/// The JPEG quality of the copies: indistinguishable on a phone, a third of the bytes.
const JPEG_QUALITY: u8 = 80;

/// The picture formats hearth makes smaller copies of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Photographs, as cameras and phones save them.
    Jpeg,
    /// Drawings and screenshots.
    Png,
}

impl Format {
    /// The format hearth resizes a file named `name` in, by its extension (any case).
    pub fn of_name(name: &str) -> Option<Format> {
        let (_, ext) = name.rsplit_once('.')?;
        match ext.to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            _ => None,
        }
    }

    fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
        }
    }

    fn image_format(self) -> ImageFormat {
        match self {
            Format::Jpeg => ImageFormat::Jpeg,
            Format::Png => ImageFormat::Png,
        }
    }
}

/// What hearth knows of a JPEG or PNG picture without decoding its pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measured {
    /// The format its bytes are in (which may not be what its name says).
    pub format: Format,
    /// Width and height as the picture is shown, after the camera's rotation.
    pub width: u32,
    /// See `width`.
    pub height: u32,
    /// Its size on disk.
    pub bytes: u64,
    /// The first 16 hex digits of the SHA-256 of its bytes and the way copies are made: names its copies.
    pub hash: String,
}

/// Measures the picture at `disk`: `Ok(None)` for a file hearth leaves as it is (not
/// named as a JPEG or PNG), `Err` with a sentence for a picture that cannot be read.
pub fn measure(disk: &Path) -> Result<Option<Measured>, String> {
    let name = disk.file_name().map(|n| n.to_string_lossy().into_owned());
    if name.as_deref().and_then(Format::of_name).is_none() {
        return Ok(None);
    }
    let bytes = std::fs::read(disk).map_err(|e| format!("this picture cannot be read: {e}"))?;
    let unreadable = || "this picture cannot be read as a JPEG or PNG file".to_owned();
    let reader = ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|_| unreadable())?;
    let format = match reader.format() {
        Some(ImageFormat::Jpeg) => Format::Jpeg,
        Some(ImageFormat::Png) => Format::Png,
        _ => return Err(unreadable()),
    };
    let mut decoder = reader.into_decoder().map_err(|_| unreadable())?;
    let (w, h) = decoder.dimensions();
    let (width, height) =
        if turns_sideways(decoder.orientation().unwrap_or(Orientation::NoTransforms)) {
            (h, w)
        } else {
            (w, h)
        };
    let mut hasher = Sha256::new();
    hasher.update(RECIPE.as_bytes());
    hasher.update(&bytes);
    let digest = hasher.finalize();
    let hash = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    Ok(Some(Measured {
        format,
        width,
        height,
        bytes: bytes.len() as u64,
        hash,
    }))
}

/// Whether a camera's rotation swaps the picture's width and height.
fn turns_sideways(o: Orientation) -> bool {
    matches!(
        o,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

impl Measured {
    /// The widths of its smaller copies, narrowest first: each of [`WIDTHS`] narrower
    /// than the picture itself.
    pub fn widths(&self) -> Vec<u32> {
        WIDTHS.into_iter().filter(|&w| w < self.width).collect()
    }

    /// The height of its copy `width` wide, keeping its shape.
    pub fn height_at(&self, width: u32) -> u32 {
        let h = u64::from(self.height) * u64::from(width) / u64::from(self.width.max(1));
        u32::try_from(h).unwrap_or(u32::MAX).max(1)
    }

    /// Where its copy `width` wide goes in the site.
    pub fn output_path(&self, width: u32) -> String {
        format!("{OUT}/{}", self.file_name(width))
    }

    fn file_name(&self, width: u32) -> String {
        format!("{}-{width}.{}", self.hash, self.format.ext())
    }

    /// Why the picture is heavier or wider than a phone needs, if it is.
    pub fn over_budget(&self) -> Option<String> {
        let kb = self.bytes.div_ceil(1000);
        match (self.bytes > BUDGET_BYTES, self.width > BUDGET_WIDTH) {
            (true, true) => Some(format!(
                "this picture is {kb} KB and {} pixels wide, more than a page needs",
                self.width
            )),
            (true, false) => Some(format!(
                "this picture is {kb} KB, more than a page needs (the budget is {} KB)",
                BUDGET_BYTES / 1000
            )),
            (false, true) => Some(format!(
                "this picture is {} pixels wide, more than a page needs (the budget is {BUDGET_WIDTH})",
                self.width
            )),
            (false, false) => None,
        }
    }
}

/// The hint for a picture over the budget, in plain words.
pub fn budget_hint() -> String {
    format!(
        "phones get smaller copies, but the original is still copied for print and wide screens; save it at most {BUDGET_WIDTH} pixels wide, as a JPEG at about 80% quality (most photo editors have \"Export\" or \"Resize\"), to keep it under {} KB",
        BUDGET_BYTES / 1000
    )
}

/// One smaller copy of a picture, to be taken from the cache (or made) and copied into
/// the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The original, on disk.
    pub original: PathBuf,
    /// The original's measurements.
    pub measured: Measured,
    /// The copy's width.
    pub width: u32,
}

impl Variant {
    /// Every copy of a picture.
    pub fn all(original: &Path, measured: &Measured) -> Vec<Variant> {
        measured
            .widths()
            .into_iter()
            .map(|width| Variant {
                original: original.to_owned(),
                measured: measured.clone(),
                width,
            })
            .collect()
    }

    /// Where it goes in the site.
    pub fn output_path(&self) -> String {
        self.measured.output_path(self.width)
    }

    /// Where it is kept in the cache of the project at `root`.
    pub fn cache_path(&self, root: &Path) -> PathBuf {
        root.join(CACHE).join(self.measured.file_name(self.width))
    }
}

/// Makes every copy of `variants` that the cache under `root` lacks, decoding each
/// picture once however many copies and sites want it. Returns how many it made; the
/// rest were in the cache already.
pub fn make(root: &Path, variants: &[Variant]) -> Result<usize> {
    use rayon::prelude::*;
    let cache = root.join(CACHE);
    // Each picture with the widths it lacks, once, in a stable order.
    let mut missing: BTreeMap<&str, (&Variant, Vec<u32>)> = BTreeMap::new();
    for v in variants {
        if v.cache_path(root).is_file() {
            continue;
        }
        let entry = missing
            .entry(v.measured.hash.as_str())
            .or_insert_with(|| (v, Vec::new()));
        if !entry.1.contains(&v.width) {
            entry.1.push(v.width);
        }
    }
    if missing.is_empty() {
        return Ok(0);
    }
    std::fs::create_dir_all(&cache)
        .with_context(|| format!("cannot make the folder `{}`", cache.display()))?;
    let made: Vec<usize> = missing
        .into_values()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|(v, widths)| encode(&cache, v, widths))
        .collect::<Result<_>>()?;
    Ok(made.into_iter().sum())
}

/// Decodes `v`'s original once and writes its copies `widths` wide into `cache`.
fn encode(cache: &Path, v: &Variant, widths: &[u32]) -> Result<usize> {
    let bytes = std::fs::read(&v.original)
        .with_context(|| format!("cannot read `{}`", v.original.display()))?;
    let picture = decode(&bytes, v.measured.format)
        .with_context(|| format!("cannot read the picture `{}`", v.original.display()))?;
    for &width in widths {
        let height = v.measured.height_at(width);
        let small = picture.resize_exact(width, height, image::imageops::FilterType::Triangle);
        let mut out = Vec::new();
        match v.measured.format {
            Format::Jpeg => small.to_rgb8().write_with_encoder(
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY),
            ),
            Format::Png => small.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out)),
        }
        .with_context(|| format!("cannot make a smaller copy of `{}`", v.original.display()))?;
        let path = cache.join(v.measured.file_name(width));
        // Written aside and renamed, so a build stopped halfway leaves no half a picture.
        let part = path.with_extension(format!("part{}", std::process::id()));
        std::fs::write(&part, &out)
            .with_context(|| format!("cannot write `{}`", part.display()))?;
        std::fs::rename(&part, &path)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    Ok(widths.len())
}

/// The picture's pixels, turned the way its camera said it was held.
fn decode(bytes: &[u8], format: Format) -> image::ImageResult<DynamicImage> {
    let mut decoder =
        ImageReader::with_format(Cursor::new(bytes), format.image_format()).into_decoder()?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder)?;
    picture.apply_orientation(orientation);
    Ok(picture)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(width: u32, height: u32, bytes: u64) -> Measured {
        Measured {
            format: Format::Jpeg,
            width,
            height,
            bytes,
            hash: "0123456789abcdef".into(),
        }
    }

    #[test]
    fn copies_are_never_wider_than_the_original() {
        assert_eq!(measured(2400, 1600, 1).widths(), vec![480, 960, 1440]);
        assert_eq!(measured(1000, 500, 1).widths(), vec![480, 960]);
        assert_eq!(measured(480, 500, 1).widths(), Vec::<u32>::new());
        assert_eq!(measured(2400, 1600, 1).height_at(480), 320);
        assert_eq!(measured(3000, 1, 1).height_at(480), 1);
    }

    #[test]
    fn budget_names_what_is_over() {
        assert_eq!(measured(2400, 1600, 500_000).over_budget(), None);
        let heavy = measured(2400, 1600, 1_400_000).over_budget().unwrap();
        assert!(heavy.contains("1400 KB"), "{heavy}");
        let wide = measured(3000, 2000, 1000).over_budget().unwrap();
        assert!(wide.contains("3000 pixels"), "{wide}");
    }

    proptest::proptest! {
        /// A copy is never as wide as its original, never taller than its shape allows,
        /// and comes out in order, whatever the picture's size.
        #[test]
        fn copies_are_narrower_than_any_original(width in 1u32..20_000, height in 1u32..20_000) {
            let m = measured(width, height, 1);
            let widths = m.widths();
            proptest::prop_assert!(widths.windows(2).all(|w| w[0] < w[1]));
            for w in widths {
                proptest::prop_assert!(w < width);
                let h = m.height_at(w);
                proptest::prop_assert!(h >= 1 && h <= height);
            }
        }
    }

    #[test]
    fn formats_by_name_in_any_case() {
        assert_eq!(Format::of_name("School-Meeting.JPG"), Some(Format::Jpeg));
        assert_eq!(Format::of_name("a.jpeg"), Some(Format::Jpeg));
        assert_eq!(Format::of_name("a.png"), Some(Format::Png));
        assert_eq!(Format::of_name("a.svg"), None);
        assert_eq!(Format::of_name("a.gif"), None);
        assert_eq!(Format::of_name("README"), None);
    }
}
