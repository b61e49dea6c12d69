namespace Sessions.Grpc.Internal.Authentication;

/// <summary>A valid session refused by <see cref="SessionAuthenticationEvents.OnSessionValidated"/>; its message is the host's.</summary>
internal sealed class SessionRefusedException(string message) : Exception(message);
