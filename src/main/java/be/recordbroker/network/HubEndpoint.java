package be.recordbroker.network;

import be.recordbroker.domain.Hub;

/** A configured hub and where its IntraHub v3 service answers. */
public record HubEndpoint(Hub hub, HttpEndpoint intraHub) {
}
