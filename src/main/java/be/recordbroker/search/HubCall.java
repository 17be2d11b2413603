package be.recordbroker.search;

/** One hub's part of a federated search, from the moment a hub-calling thread took it up. */
public record HubCall(String hub, SearchRun run, long started) {
}
