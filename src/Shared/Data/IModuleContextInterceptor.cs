using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Shared.Data;

/// <summary>
/// An interceptor every module context gets, registered as this in the services by the part that needs it (the
/// outbox's, which wakes the relay once a save with messages has committed), so that the contexts' wiring need not
/// know that part.
/// </summary>
public interface IModuleContextInterceptor : IInterceptor;
