//! Reading a streamed body whole, for the server's and the client's byte streams alike.

use bytes::Bytes;
use futures_util::{Stream, StreamExt as _};

/// The rest of `stream` in one buffer: no copy for a body of one chunk, one for several.
pub(crate) async fn collect<E>(mut stream: impl Stream<Item = Result<Bytes, E>> + Unpin) -> Result<Bytes, E> {
    let mut chunks: Vec<Bytes> = Vec::new();
    while let Some(chunk) = stream.next().await {
        chunks.push(chunk?);
    }
    Ok(match chunks.len() {
        0 => Bytes::new(),
        1 => chunks.swap_remove(0),
        _ => Bytes::from(chunks.concat()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        futures_util::FutureExt::now_or_never(future).expect("a ready stream completes at once")
    }

    #[test]
    fn joins_the_chunks_in_order_and_stops_at_the_first_error() {
        let chunks = |items: Vec<Result<&'static str, u8>>| {
            futures_util::stream::iter(items.into_iter().map(|item| item.map(Bytes::from)))
        };
        assert_eq!(block_on(collect(chunks(vec![]))), Ok(Bytes::new()));
        assert_eq!(block_on(collect(chunks(vec![Ok("one")]))), Ok(Bytes::from_static(b"one")));
        assert_eq!(block_on(collect(chunks(vec![Ok("a"), Ok("b"), Ok("c")]))), Ok(Bytes::from_static(b"abc")));
        assert_eq!(block_on(collect(chunks(vec![Ok("a"), Err(7), Ok("c")]))), Err(7));
    }
}
