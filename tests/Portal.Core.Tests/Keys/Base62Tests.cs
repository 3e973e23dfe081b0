using Portal.Core.Keys;

namespace Portal.Core.Tests.Keys;

public sealed class Base62Tests
{
    [Theory]
    [InlineData(0u, "000000")]
    [InlineData(61u, "00000z")]
    [InlineData(62u, "000010")]
    [InlineData(uint.MaxValue, "4gfFC3")]
    public void WriteUInt32_FixedWidth_RoundTrips(uint value, string expected)
    {
        Span<char> digits = stackalloc char[Base62.UInt32Width];
        Base62.WriteUInt32(value, digits);

        Assert.Equal(expected, new string(digits));
        Assert.True(Base62.TryReadUInt32(expected, out var read));
        Assert.Equal(value, read);
    }

    [Theory]
    [InlineData("4gfFC4")] // 2^32: one past the largest value
    [InlineData("zzzzzz")]
    [InlineData("00000-")]
    [InlineData("00000")]
    public void TryReadUInt32_OutOfRangeOrBadDigit_False(string digits) =>
        Assert.False(Base62.TryReadUInt32(digits, out _));
}
