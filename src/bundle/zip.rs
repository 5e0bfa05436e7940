//! A zip archive, the same bytes for the same files: entries in path order, every date
//! 1980-01-01 00:00 (the format's first), the same permissions for every file. Deflate
//! comes from `miniz_oxide`; a file that deflate does not shrink is stored.
//!
//! In: (path, bytes) pairs. Out: the archive's bytes, or why the files cannot be one
//! (more than 65,535 files or 4 GiB, which would need Zip64).

use anyhow::{Result, bail};

/// The DOS date of 1980-01-01.
const DATE: u16 = (1 << 5) | 1;
/// A regular file, readable by all (`-rw-r--r--`), in the external attributes' high half.
const FILE_MODE: u32 = 0o100_644 << 16;

/// The archive of `files`, which it sorts by path.
pub fn write(files: &mut [(String, Vec<u8>)]) -> Result<Vec<u8>> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    if files.len() > usize::from(u16::MAX) {
        bail!(
            "{} files are too many for one zip (65,535 at most)",
            files.len()
        );
    }
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (path, bytes) in files.iter() {
        let crc = crc32(bytes);
        let deflated = miniz_oxide::deflate::compress_to_vec(bytes, 9);
        let (method, data): (u16, &[u8]) = match deflated.len() < bytes.len() {
            true => (8, &deflated),
            false => (0, bytes),
        };
        let offset = u32(out.len())?;
        let (size, packed) = (u32(bytes.len())?, u32(data.len())?);
        // Bit 11: the name is UTF-8, so `sesión` stays `sesión` on every system.
        let flags: u16 = if path.is_ascii() { 0 } else { 1 << 11 };
        let name = path.as_bytes();
        let name_len = u16::try_from(name.len())?;
        let common = |buf: &mut Vec<u8>| {
            put16(buf, 20); // version needed: 2.0
            put16(buf, flags);
            put16(buf, method);
            put16(buf, 0); // time: 00:00
            put16(buf, DATE);
            put32(buf, crc);
            put32(buf, packed);
            put32(buf, size);
            put16(buf, name_len);
            put16(buf, 0); // no extra field
        };
        put32(&mut out, 0x0403_4b50);
        common(&mut out);
        out.extend_from_slice(name);
        out.extend_from_slice(data);

        put32(&mut central, 0x0201_4b50);
        put16(&mut central, (3 << 8) | 20); // made by: Unix, 2.0
        common(&mut central);
        put16(&mut central, 0); // no comment
        put16(&mut central, 0); // disk 0
        put16(&mut central, 0); // internal attributes
        put32(&mut central, FILE_MODE);
        put32(&mut central, offset);
        central.extend_from_slice(name);
    }
    let start = u32(out.len())?;
    let central_len = u32(central.len())?;
    out.extend_from_slice(&central);
    let count = u16::try_from(files.len())?;
    put32(&mut out, 0x0605_4b50);
    put16(&mut out, 0);
    put16(&mut out, 0);
    put16(&mut out, count);
    put16(&mut out, count);
    put32(&mut out, central_len);
    put32(&mut out, start);
    put16(&mut out, 0);
    Ok(out)
}

/// The files of a zip this module wrote (or any without Zip64 or encryption), by path,
/// in archive order: read from its central directory, stored or deflated.
pub fn read(zip: &[u8]) -> Result<Vec<(String, Vec<u8>)>> {
    let le16 = |at: usize| -> Result<usize> {
        let b = zip
            .get(at..at + 2)
            .ok_or_else(|| anyhow::anyhow!("the zip ends early"))?;
        Ok(usize::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let le32 = |at: usize| -> Result<usize> {
        let b = zip
            .get(at..at + 4)
            .ok_or_else(|| anyhow::anyhow!("the zip ends early"))?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let end = zip
        .windows(4)
        .rposition(|w| w == [0x50, 0x4b, 0x05, 0x06])
        .ok_or_else(|| anyhow::anyhow!("no zip directory"))?;
    let (count, mut at) = (le16(end + 10)?, le32(end + 16)?);
    let mut files = Vec::with_capacity(count);
    for _ in 0..count {
        if le32(at)? != 0x0201_4b50 {
            bail!("a damaged zip directory");
        }
        let (method, packed, size) = (le16(at + 10)?, le32(at + 20)?, le32(at + 24)?);
        let (name_len, extra_len, comment_len) = (le16(at + 28)?, le16(at + 30)?, le16(at + 32)?);
        let local = le32(at + 42)?;
        let name = zip
            .get(at + 46..at + 46 + name_len)
            .ok_or_else(|| anyhow::anyhow!("the zip ends early"))?;
        let name = String::from_utf8_lossy(name).into_owned();
        let data_at = local + 30 + le16(local + 26)? + le16(local + 28)?;
        let data = zip
            .get(data_at..data_at + packed)
            .ok_or_else(|| anyhow::anyhow!("the zip ends early"))?;
        let bytes = match method {
            0 => data.to_vec(),
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(data, size)
                .map_err(|e| anyhow::anyhow!("`{name}` does not inflate: {e:?}"))?,
            other => bail!("`{name}` uses compression method {other}"),
        };
        files.push((name, bytes));
        at += 46 + name_len + extra_len + comment_len;
    }
    Ok(files)
}

fn u32(n: usize) -> Result<u32> {
    u32::try_from(n)
        .map_err(|_| anyhow::anyhow!("the site is too large for one zip (4 GiB at most)"))
}

fn put16(buf: &mut Vec<u8>, n: u16) {
    buf.extend_from_slice(&n.to_le_bytes());
}

fn put32(buf: &mut Vec<u8>, n: u32) {
    buf.extend_from_slice(&n.to_le_bytes());
}

/// The CRC-32 (IEEE) of `bytes`, as zip records it.
fn crc32(bytes: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[i] = c;
            i += 1;
        }
        table
    };
    !bytes.iter().fold(!0u32, |c, &b| {
        TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy as _;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    proptest::proptest! {
        /// For any files (any names, accents included, any contents, from empty to
        /// highly repetitive) in any order: the same bytes, and reading them back gives
        /// every file, byte for byte, in path order.
        #[test]
        fn any_files_in_any_order_give_the_same_zip_and_read_back_whole(
            files in proptest::collection::btree_map(
                "[a-zA-Z0-9ñóé _./-]{1,24}",
                proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)
                    .prop_flat_map(|v| (proptest::prelude::Just(v), 1..40usize))
                    .prop_map(|(v, times)| v.repeat(times)),
                1..12,
            ),
            turn in 0..12usize,
        ) {
            let mut sorted: Vec<(String, Vec<u8>)> = files.into_iter().collect();
            let mut turned = sorted.clone();
            let len = turned.len();
            turned.rotate_left(turn % len);
            turned.reverse();
            let (a, b) = (write(&mut sorted).unwrap(), write(&mut turned).unwrap());
            proptest::prop_assert_eq!(&a, &b);
            proptest::prop_assert_eq!(read(&a).unwrap(), sorted);
        }
    }

    #[test]
    fn the_same_files_give_the_same_bytes_in_any_order() {
        let mut a = vec![
            ("b/sesión.html".to_owned(), b"<p>hola</p>".repeat(50)),
            ("a.txt".to_owned(), b"x".to_vec()),
        ];
        let mut b = vec![a[1].clone(), a[0].clone()];
        let (za, zb) = (write(&mut a).unwrap(), write(&mut b).unwrap());
        assert_eq!(za, zb);
        // Stored when deflate does not help, deflated when it does.
        assert_eq!(&za[8..10], &[0, 0], "a one-byte file is stored");
        assert!(za.windows(b"b/sesi".len()).any(|w| w == b"b/sesi"));
        assert!(
            za.len() < 400,
            "the repeated page deflates: {} bytes",
            za.len()
        );
    }
}
