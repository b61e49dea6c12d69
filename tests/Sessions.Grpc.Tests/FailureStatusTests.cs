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
