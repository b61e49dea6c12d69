using Sessions.Grpc.Internal;
using Sessions.Grpc.Internal.Calls;

namespace Sessions.Grpc.Tests;

public sealed class FailureStatusTests
{
    public static TheoryData<SessionFailureReason> Reasons()
    {
        var data = new TheoryData<SessionFailureReason>();
        foreach (var reason in Enum.GetValues<SessionFailureReason>().Where(r => r != SessionFailureReason.None))
        {
            data.Add(reason);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Reasons))]
    public void Every_reason_is_invalid_argument_except_unavailable(SessionFailureReason reason)
    {
        var expected = reason == SessionFailureReason.Unavailable ? StatusCode.Unavailable : StatusCode.InvalidArgument;

        var ex = SessionFailureStatus.ToRpcException(reason);

        Assert.Equal(expected, ex.StatusCode);
        Assert.StartsWith("token ", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(SessionFailureStatus.GetName(reason), ex.Trailers.GetValue(SessionsMetadataKeys.FailureReason));
    }

    [Fact]
    public void Every_reason_has_its_own_message_and_name()
    {
        var reasons = Enum.GetValues<SessionFailureReason>().Where(r => r != SessionFailureReason.None).ToArray();

        Assert.Equal(reasons.Length, reasons.Select(SessionFailureStatus.GetMessage).Distinct().Count());
        Assert.Equal(reasons.Length, reasons.Select(SessionFailureStatus.GetName).Distinct().Count());
        Assert.DoesNotContain("unknown", reasons.Select(SessionFailureStatus.GetName));
    }
}

public sealed class RefreshFailureStatusTests
{
    [Theory]
    [InlineData(RefreshTokenRotationStatus.NotFound)]
    [InlineData(RefreshTokenRotationStatus.Expired)]
    [InlineData(RefreshTokenRotationStatus.Revoked)]
    [InlineData(RefreshTokenRotationStatus.Reused)]
    public void Every_refusal_of_a_sent_refresh_token_says_to_sign_in_again(RefreshTokenRotationStatus status)
    {
        var ex = RefreshFailureStatus.ToRpcException(status);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith("refresh token ", ex.Status.Detail, StringComparison.Ordinal);
        Assert.EndsWith("; sign in again", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(RefreshFailureStatus.GetName(status), ex.Trailers.GetValue(SessionsMetadataKeys.FailureReason));
    }

    [Fact]
    public void A_missing_refresh_token_has_its_own_message_and_name_and_the_existing_names_are_unchanged()
    {
        var ex = RefreshFailureStatus.Missing();

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith("refresh token is missing", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("refresh_token_missing", ex.Trailers.GetValue(SessionsMetadataKeys.FailureReason));
        Assert.Equal(
            ["refresh_token_invalid", "refresh_token_expired", "refresh_token_revoked", "refresh_token_reused"],
            new[] { RefreshTokenRotationStatus.NotFound, RefreshTokenRotationStatus.Expired, RefreshTokenRotationStatus.Revoked, RefreshTokenRotationStatus.Reused }.Select(RefreshFailureStatus.GetName));
    }
}
