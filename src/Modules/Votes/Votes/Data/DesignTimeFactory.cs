using Shared.Data;

namespace Votes.Data;

internal sealed class DesignTimeFactory() : ModuleDesignTimeFactory<VotesDbContext>(VotesDbContext.Schema, options => new VotesDbContext(options));
