using System.Text;
using QSam2.Spec.Quant;

namespace QSam2.Spec.Tests.Quant;

public class Sha256Tests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void KnownVectors(string input, string expected)
    {
        Assert.Equal(expected, Sha256.ToHex(Sha256.HashUtf8(input)));
    }

    [Fact]
    public void MillionA()
    {
        var data = Encoding.ASCII.GetBytes(new string('a', 1_000_000));
        Assert.Equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", Sha256.ToHex(Sha256.Hash(data)));
    }

    [Fact]
    public void MatchesPlatformSha256_ForEveryLengthAndChunking()
    {
        var rng = new Random(7);
        for (int length = 0; length < 300; length += 7)
        {
            var data = new byte[length];
            rng.NextBytes(data);
            var expected = System.Security.Cryptography.SHA256.HashData(data);
            Assert.Equal(expected, Sha256.Hash(data));

            // Same bytes fed in uneven pieces must give the same digest.
            var sha = new Sha256();
            int p = 0;
            while (p < length)
            {
                int n = Math.Min(rng.Next(1, 70), length - p);
                sha.Append(data, p, n);
                p += n;
            }
            Assert.Equal(expected, sha.Finish());
        }
    }
}
