using Grpc.Reflection;

namespace Sessions.SampleServer;

/// <summary>
/// gRPC server reflection (what grpcurl and Postman ask) over the services the sample serves, in both versions of the
/// protocol (<c>grpc.reflection.v1</c> and <c>v1alpha</c>). Built from explicit descriptors instead of
/// <c>AddGrpcReflection()</c>, which finds them by reflection over the mapped service types and is therefore not
/// trim-safe: this way reflection works in the Native AOT build too.
/// </summary>
public static class SampleReflection
{
    /// <summary>Registers the two reflection services, describing sessions, health and reflection itself.</summary>
    /// <param name="services">The host's services.</param>
    /// <remarks>
    /// The services and their descriptors are made on the first reflection call, not at start: building the descriptor
    /// of sessions.proto, with google/api/annotations.proto and descriptor.proto under it, is about an eighth of the
    /// instructions the server executes before it answers its first call (benchmarks/load/instructions.py's method,
    /// counted from process start).
    /// </remarks>
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton(_ => new ReflectionV1ServiceImpl(Described()));
        services.AddSingleton(_ => new ReflectionServiceImpl(Described()));
    }

    private static Google.Protobuf.Reflection.ServiceDescriptor[] Described() =>
    [
        Sessions.Grpc.Protocol.Sessions.Descriptor,
        global::Grpc.Health.V1.Health.Descriptor,
        global::Grpc.Reflection.V1.ServerReflection.Descriptor,
        global::Grpc.Reflection.V1Alpha.ServerReflection.Descriptor,
    ];

    /// <summary>Maps the two reflection services.</summary>
    /// <param name="app">The application.</param>
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGrpcService<ReflectionV1ServiceImpl>();
        app.MapGrpcService<ReflectionServiceImpl>();
    }
}
