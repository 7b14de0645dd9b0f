//! Compressed files: gzip (`.gz`), Zstandard (`.zst`), bzip2 (`.bz2`) and xz (`.xz`), found by
//! their magic bytes whatever the name, any format inside. Every decoder is a pure-Rust stream
//! reader (flate2, ruzstd, bzip2 with libbz2-rs-sys, lzma-rust2): nothing is decompressed
//! whole, and [`super::super::load`] caps what any of them may produce (the bomb limits).
//! Concatenated members (`pigz`, `pbzip2`, `zstd -T`, `xz -T`) are all read.

use std::io::{BufRead, Read};

/// How a file is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compression {
    /// Not compressed.
    #[default]
    None,
    /// gzip (one or more members).
    Gzip,
    /// Zstandard (one or more frames; skippable frames skipped).
    Zstd,
    /// bzip2 (one or more streams).
    Bzip2,
    /// xz (one or more streams).
    Xz,
}

/// The largest LZMA2 dictionary an xz file may ask for, in KiB (`xz -9` uses 64 MiB): a
/// hostile header cannot make the decoder allocate more.
const XZ_MEMORY_KIB: u32 = 256 << 10;

/// The largest Zstandard window a frame may ask for (`zstd --ultra -22` uses 128 MiB).
const ZSTD_MAX_WINDOW: u64 = 128 << 20;

impl Compression {
    /// The compression a file name's last extension names, and the name without it
    /// (`a.jsonl.zst` → Zstd, `a.jsonl`). Names are compared in lower case.
    pub(crate) fn of_name(lower: &str) -> (Compression, &str) {
        for (ext, c) in [
            (".gz", Compression::Gzip),
            (".gzip", Compression::Gzip),
            (".zst", Compression::Zstd),
            (".zstd", Compression::Zstd),
            (".bz2", Compression::Bzip2),
            (".bzip2", Compression::Bzip2),
            (".xz", Compression::Xz),
        ] {
            if let Some(stem) = lower.strip_suffix(ext) {
                return (c, stem);
            }
        }
        (Compression::None, lower)
    }

    /// The compression the first bytes of a file show (its magic number), if any.
    pub(crate) fn sniff(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd])
            // A skippable frame first (0x184D2A5?), as some writers put metadata there.
            || (head.len() >= 4 && head[0] & 0xf0 == 0x50 && head[1..4] == [0x2a, 0x4d, 0x18])
        {
            Compression::Zstd
        } else if head.len() >= 10
            && head.starts_with(b"BZh")
            && (b'1'..=b'9').contains(&head[3])
            // A block ("pi") or the end of an empty stream ("sqrt pi").
            && (head[4..10] == [0x31, 0x41, 0x59, 0x26, 0x53, 0x59]
                || head[4..10] == [0x17, 0x72, 0x45, 0x38, 0x50, 0x90])
        {
            Compression::Bzip2
        } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
            Compression::Xz
        } else {
            Compression::None
        }
    }

    /// The name of the format, for messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Compression::None => "uncompressed",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Bzip2 => "bzip2",
            Compression::Xz => "xz",
        }
    }

    /// A reader of `inner` decompressed (`inner` itself when not compressed). Its errors say
    /// the format and, for a file cut short, that it was.
    pub(crate) fn reader<'a, R: BufRead + Send + 'a>(self, inner: R) -> Box<dyn Read + Send + 'a> {
        if self == Compression::None {
            return Box::new(inner);
        }
        Box::new(Explained {
            inner: self.decoder(inner),
            name: self.name(),
        })
    }

    fn decoder<'a, R: BufRead + Send + 'a>(self, inner: R) -> Box<dyn Read + Send + 'a> {
        match self {
            Compression::None => Box::new(inner),
            Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(inner)),
            Compression::Zstd => Box::new(ZstdFrames::new(inner)),
            Compression::Bzip2 => Box::new(bzip2::bufread::MultiBzDecoder::new(inner)),
            Compression::Xz => Box::new(lzma_rust2::XzReader::new_mem_limit(
                inner,
                true,
                XZ_MEMORY_KIB,
            )),
        }
    }
}

/// A decoder whose errors name the format and say what they mean for the user.
struct Explained<R> {
    inner: R,
    name: &'static str,
}

impl<R: Read> Read for Explained<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            let text = e.to_string();
            let what = if e.kind() == std::io::ErrorKind::UnexpectedEof
                || text.contains("EOF")
                || text.contains("fill whole buffer")
            {
                "the file ends before its compressed data does (cut short?)".to_string()
            } else if text.contains("mem_limit") {
                format!(
                    "the file asks for a dictionary over {} MiB: refused",
                    XZ_MEMORY_KIB >> 10
                )
            } else {
                format!("corrupt data ({text})")
            };
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}: {what}", self.name),
            )
        })
    }
}

/// Peeks at the start of `reader` (without consuming it) and says how it is compressed.
pub(crate) fn sniff_reader(reader: &mut impl BufRead) -> std::io::Result<Compression> {
    Ok(Compression::sniff(reader.fill_buf()?))
}

/// Every frame of a Zstandard stream, one after another (ruzstd's `StreamingDecoder` reads one),
/// skippable frames skipped.
struct ZstdFrames<R: BufRead> {
    source: R,
    decoder: ruzstd::decoding::FrameDecoder,
    /// A frame is being decoded.
    in_frame: bool,
}

impl<R: BufRead> ZstdFrames<R> {
    fn new(source: R) -> Self {
        let mut decoder = ruzstd::decoding::FrameDecoder::new();
        decoder.set_max_window_size(ZSTD_MAX_WINDOW);
        ZstdFrames {
            source,
            decoder,
            in_frame: false,
        }
    }

    /// Starts the next frame; false at the end of the stream.
    fn next_frame(&mut self) -> std::io::Result<bool> {
        use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
        loop {
            if self.source.fill_buf()?.is_empty() {
                return Ok(false);
            }
            match self.decoder.init(&mut self.source) {
                Ok(()) => return Ok(true),
                Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::SkipFrame {
                    length,
                    ..
                })) => {
                    let skipped = std::io::copy(
                        &mut (&mut self.source).take(u64::from(length)),
                        &mut std::io::sink(),
                    )?;
                    if skipped < u64::from(length) {
                        return Err(zstd_error("the file ends inside a skippable frame"));
                    }
                }
                Err(e) => return Err(zstd_error(e)),
            }
        }
    }
}

fn zstd_error(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string())
}

impl<R: BufRead> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use ruzstd::decoding::BlockDecodingStrategy;
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if !self.in_frame {
                if !self.next_frame()? {
                    return Ok(0);
                }
                self.in_frame = true;
            }
            while self.decoder.can_collect() == 0 && !self.decoder.is_finished() {
                self.decoder
                    .decode_blocks(&mut self.source, BlockDecodingStrategy::UptoBlocks(1))
                    .map_err(zstd_error)?;
            }
            let n = self.decoder.read(buf)?;
            if n > 0 {
                return Ok(n);
            }
            if self.decoder.is_finished() && self.decoder.can_collect() == 0 {
                self.in_frame = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(c: Compression, bytes: &[u8]) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        c.reader(bytes).read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn names_and_magic() {
        assert_eq!(
            Compression::of_name("a.jsonl.zst"),
            (Compression::Zstd, "a.jsonl")
        );
        assert_eq!(Compression::of_name("a.txt"), (Compression::None, "a.txt"));
        assert_eq!(Compression::sniff(b"\x1f\x8b\x08"), Compression::Gzip);
        assert_eq!(Compression::sniff(b"BZh91AY&SYxx"), Compression::Bzip2);
        assert_eq!(Compression::sniff(b"BZh is a word"), Compression::None);
        assert_eq!(Compression::sniff(b"\xfd7zXZ\x00\x00"), Compression::Xz);
        assert_eq!(
            Compression::sniff(&[0x28, 0xb5, 0x2f, 0xfd, 0]),
            Compression::Zstd
        );
        assert_eq!(Compression::sniff(b"{\"a\":1}"), Compression::None);
    }

    #[test]
    fn zstd_frames_concatenated_and_skippable() {
        let one = ruzstd::encoding::compress_to_vec(
            &b"first frame "[..],
            ruzstd::encoding::CompressionLevel::Fastest,
        );
        let two = ruzstd::encoding::compress_to_vec(
            &b"second frame"[..],
            ruzstd::encoding::CompressionLevel::Fastest,
        );
        // A skippable frame (magic 0x184D2A50, 4 bytes of length, the bytes) between them.
        let mut bytes = one.clone();
        bytes.extend_from_slice(&[0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]);
        bytes.extend_from_slice(&two);
        assert_eq!(
            all(Compression::Zstd, &bytes).unwrap(),
            b"first frame second frame"
        );
        // Truncated: an error, never a hang or a panic.
        assert!(all(Compression::Zstd, &one[..one.len() - 3]).is_err());
        assert!(all(Compression::Zstd, b"\x28\xb5\x2f\xfdgarbage").is_err());
    }

    #[test]
    fn bzip2_and_xz_streams() {
        use std::io::Write;
        let mut bz = Vec::new();
        for part in [&b"one "[..], b"two"] {
            let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
            e.write_all(part).unwrap();
            bz.extend(e.finish().unwrap());
        }
        assert_eq!(Compression::sniff(&bz), Compression::Bzip2);
        assert_eq!(all(Compression::Bzip2, &bz).unwrap(), b"one two");
        assert!(all(Compression::Bzip2, &bz[..bz.len() / 2]).is_err());
        let mut xz = Vec::new();
        for part in [&b"uno "[..], b"dos"] {
            let mut w =
                lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::default()).unwrap();
            w.write_all(part).unwrap();
            xz.extend(w.finish().unwrap());
        }
        assert_eq!(Compression::sniff(&xz), Compression::Xz);
        assert_eq!(all(Compression::Xz, &xz).unwrap(), b"uno dos");
        assert!(all(Compression::Xz, &xz[..xz.len() - 5]).is_err());
    }
}
