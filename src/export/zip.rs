//! A zip archive of export files, in memory, for the browser to download as one file. Entries are stored, not
//! compressed (PNGs are compressed already; the text files are a few kB): the archive is the files' bytes, a header
//! before each, and the central directory, as PKWARE's APPNOTE.TXT (section 4.3) lays them out, readable by every
//! unzip tool. No zip64: an archive is refused past 4 GiB.

use super::date::Date;

/// Why an archive could not be made.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ZipError {
    /// Over what a zip without zip64 can hold.
    #[error("the export is too large for one zip archive (over 4 GiB or 65,535 files)")]
    TooLarge,
    /// A file name over 65,535 bytes.
    #[error("file name too long for a zip archive: {0}")]
    NameTooLong(String),
}

/// The CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) zip stores for each file.
///
/// ```
/// // The standard check value of CRC-32/ISO-HDLC.
/// assert_eq!(trainprint::export::zip::crc32(b"123456789"), 0xCBF4_3926);
/// assert_eq!(trainprint::export::zip::crc32(b""), 0);
/// ```
pub fn crc32(bytes: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut t = [0u32; 256];
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
            t[i] = c;
            i += 1;
        }
        t
    };
    !bytes.iter().fold(!0u32, |c, &b| {
        TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8)
    })
}

/// The MS-DOS date of a day (bits 15-9 years since 1980, 8-5 month, 4-0 day), 1980-01-01 for earlier days.
///
/// ```
/// use trainprint::export::date::Date;
/// // 2026-12-02: (46 << 9) | (12 << 5) | 2
/// assert_eq!(trainprint::export::zip::dos_date(Date { year: 2026, month: 12, day: 2 }), 0x5D82);
/// ```
pub fn dos_date(d: Date) -> u16 {
    if d.year < 1980 {
        return (1 << 5) | 1;
    }
    let years = (d.year - 1980).min(127) as u16;
    (years << 9) | ((d.month as u16) << 5) | d.day as u16
}

fn u16le(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u32le(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Version needed to extract: 2.0 (stored entries, directories).
const VERSION: u16 = 20;
/// General purpose flag bit 11: the file name is UTF-8.
const UTF8_NAMES: u16 = 1 << 11;

/// An archive of `files` (name, bytes), in that order, each dated `date`.
pub fn archive(files: &[(String, Vec<u8>)], date: Date) -> Result<Vec<u8>, ZipError> {
    let count = u16::try_from(files.len()).map_err(|_| ZipError::TooLarge)?;
    let big = |n: usize| u32::try_from(n).map_err(|_| ZipError::TooLarge);
    let day = dos_date(date);
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, bytes) in files {
        let name_len =
            u16::try_from(name.len()).map_err(|_| ZipError::NameTooLong(name.clone()))?;
        let crc = crc32(bytes);
        let size = big(bytes.len())?;
        let offset = big(out.len())?;
        // Local file header (APPNOTE 4.3.7).
        u32le(&mut out, 0x0403_4B50);
        for v in [VERSION, UTF8_NAMES, 0, 0, day] {
            u16le(&mut out, v);
        }
        for v in [crc, size, size] {
            u32le(&mut out, v);
        }
        u16le(&mut out, name_len);
        u16le(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(bytes);
        // Its central directory header (4.3.12).
        u32le(&mut central, 0x0201_4B50);
        for v in [VERSION, VERSION, UTF8_NAMES, 0, 0, day] {
            u16le(&mut central, v);
        }
        for v in [crc, size, size] {
            u32le(&mut central, v);
        }
        for v in [name_len, 0, 0, 0, 0] {
            u16le(&mut central, v);
        }
        u32le(&mut central, 0);
        u32le(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = big(out.len())?;
    let cd_size = big(central.len())?;
    out.extend_from_slice(&central);
    big(out.len())?;
    // End of central directory record (4.3.16).
    u32le(&mut out, 0x0605_4B50);
    for v in [0, 0, count, count] {
        u16le(&mut out, v);
    }
    u32le(&mut out, cd_size);
    u32le(&mut out, cd_offset);
    u16le(&mut out, 0);
    Ok(out)
}
