//! A term's postings as the index keeps them between builds: the ascending entries
//! `doc << 4 | mask` written as LEB128 varints of `(doc − previous doc) << 4 | mask`. Where
//! documents holding a term are close together (every common term), an entry takes one
//! byte, a quarter of a `u32`: the index of a big site holds hundreds of millions of them.

/// The packed postings of one term (empty: no document holds it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Packed {
    bytes: Vec<u8>,
    /// The last document number packed, for appending.
    last: u32,
    /// Entries packed.
    count: u32,
}

impl Packed {
    /// Packs ascending entries (`doc << 4 | mask`).
    pub(crate) fn from_entries(entries: &[u32]) -> Packed {
        let mut packed = Packed::default();
        packed.bytes.reserve(entries.len());
        for &entry in entries {
            packed.push(entry);
        }
        packed.bytes.shrink_to_fit();
        packed
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Appends an entry whose document comes after every packed one.
    pub(crate) fn push(&mut self, entry: u32) {
        let doc = entry >> 4;
        let gap = if self.count == 0 {
            doc
        } else {
            doc - self.last
        };
        let mut value = u64::from(gap) << 4 | u64::from(entry & 0xF);
        loop {
            let byte = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                self.bytes.push(byte);
                break;
            }
            self.bytes.push(byte | 0x80);
        }
        self.last = doc;
        self.count += 1;
    }

    /// Appends ascending entries whose documents all come after every packed one (the
    /// postings of the next chunk of documents).
    pub(crate) fn extend(&mut self, entries: &[u32]) {
        for &entry in entries {
            self.push(entry);
        }
    }

    /// The document number after which [`extend`](Self::extend) may append.
    pub(crate) fn last_doc(&self) -> Option<u32> {
        (self.count > 0).then_some(self.last)
    }

    /// Every entry, ascending.
    pub(crate) fn entries(&self) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.count as usize);
        let (mut doc, mut value, mut shift) = (0u32, 0u64, 0u32);
        for &byte in &self.bytes {
            value |= u64::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                doc = if out.is_empty() {
                    (value >> 4) as u32
                } else {
                    doc + (value >> 4) as u32
                };
                out.push(doc << 4 | (value & 0xF) as u32);
                value = 0;
                shift = 0;
            }
        }
        out
    }

    /// Frees the spare capacity appending left.
    pub(crate) fn shrink(&mut self) {
        self.bytes.shrink_to_fit();
    }

    /// Bytes held (for the bench).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_in_a_byte_each_when_close() {
        let entries: Vec<u32> = [0u32, 1, 2, 3, 9, 300, 70_000, 268_435_455]
            .iter()
            .enumerate()
            .map(|(i, d)| d << 4 | (i as u32 % 15 + 1))
            .collect();
        let packed = Packed::from_entries(&entries);
        assert_eq!(packed.entries(), entries);
        assert_eq!(packed.last_doc(), Some(268_435_455));
        let dense: Vec<u32> = (0..1000).map(|d| d << 4 | 8).collect();
        let packed = Packed::from_entries(&dense);
        assert_eq!(packed.heap_bytes(), 1000);
        let mut halves = Packed::from_entries(&dense[..400]);
        halves.extend(&dense[400..]);
        assert_eq!(halves, packed);
        assert!(Packed::default().entries().is_empty());
    }
}
