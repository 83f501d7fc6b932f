//! A reader that counts the line breaks its consumer has read, so the WXR reader's
//! errors can name the line.

use std::io::{BufRead, Read};

/// Counts the lines the XML parser has consumed, so errors can name them.
pub struct Lines<R> {
    inner: R,
    newlines: u64,
}

impl<R> Lines<R> {
    pub fn new(inner: R) -> Self {
        Self { inner, newlines: 0 }
    }

    /// Line breaks consumed so far.
    pub fn newlines(&self) -> u64 {
        self.newlines
    }
}

impl<R: BufRead> Read for Lines<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(out)?;
        self.newlines += out[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Lines<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amount: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let amount = amount.min(buf.len());
            self.newlines += buf[..amount].iter().filter(|&&b| b == b'\n').count() as u64;
        }
        self.inner.consume(amount);
    }
}
