using System.IO.Compression;
using Portal.Platform;

namespace Portal.Tests.Platform;

/// <summary>The zip of a tenant export reaches the response without one synchronous write, bytes in order.</summary>
public sealed class SyncWriteDeferringStreamTests
{
    /// <summary>Like Kestrel's response body: write-only, and synchronous writes are refused.</summary>
    private sealed class AsyncOnlyStream : Stream
    {
        private readonly List<byte> _written = [];

        public byte[] ToArray() => [.. _written];

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous operations are disallowed.");

        public override void Flush() => throw new InvalidOperationException("Synchronous operations are disallowed.");

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _written.AddRange(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Fact]
    public async Task SynchronousWrites_WaitForTheNextAsynchronousOne_InOrder()
    {
        var inner = new AsyncOnlyStream();
        await using var stream = new SyncWriteDeferringStream(inner);

        stream.Write([1, 2]);
        await stream.WriteAsync(new byte[] { 3 });
        stream.Write([4]);
        stream.Flush();
        Assert.Equal([1, 2, 3], inner.ToArray());
        await stream.FlushAsync();

        Assert.Equal([1, 2, 3, 4], inner.ToArray());
    }

    [Fact]
    public async Task AnAsyncZip_WrittenThroughIt_ReadsBackWhole()
    {
        var inner = new AsyncOnlyStream();
        await using (var stream = new SyncWriteDeferringStream(inner))
        {
            await using (var zip = await ZipArchive.CreateAsync(stream, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null))
            {
                foreach (var name in new[] { "a.txt", "b.txt" })
                {
                    await using var entry = await zip.CreateEntry(name).OpenAsync();
                    await entry.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"content of {name}"));
                }
            }

            await stream.FlushAsync();
        }

        using var read = new ZipArchive(new MemoryStream(inner.ToArray()), ZipArchiveMode.Read);
        Assert.Equal(["a.txt", "b.txt"], read.Entries.Select(e => e.FullName));
        using var b = new StreamReader(read.GetEntry("b.txt")!.Open());
        Assert.Equal("content of b.txt", await b.ReadToEndAsync());
    }
}
