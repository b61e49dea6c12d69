namespace Sessions.Grpc.Internal.Hosting;

/// <summary>Registered by <c>AddSessions()</c> so that <c>MapSessions()</c> can tell whether it was called.</summary>
internal sealed class SessionsMarkerService;
