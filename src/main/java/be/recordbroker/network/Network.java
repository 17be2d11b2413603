package be.recordbroker.network;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import be.recordbroker.domain.Hub;
import be.recordbroker.domain.HubDirectory;

/** The Belgian network the broker talks to, as configured: hubs, the metahub and the connected hospitals. */
public final class Network {

    private final HubDirectory hubs;
    private final Map<String, HubEndpoint> hubEndpoints;
    private final HttpEndpoint metahub;
    private final Map<String, Hospital> hospitalsByFacility;

    public Network(HubDirectory hubs, List<HubEndpoint> hubEndpoints, HttpEndpoint metahub, List<Hospital> hospitals) {
        this.hubs = hubs;
        this.metahub = metahub;
        Map<String, HubEndpoint> endpoints = new LinkedHashMap<>();
        hubEndpoints.forEach(e -> endpoints.put(e.hub().code(), e));
        this.hubEndpoints = Map.copyOf(endpoints);
        Map<String, Hospital> byFacility = new LinkedHashMap<>();
        hospitals.forEach(h -> byFacility.put(h.facilityId(), h));
        this.hospitalsByFacility = byFacility;
    }

    public HubDirectory hubs() {
        return hubs;
    }

    public HttpEndpoint metahub() {
        return metahub;
    }

    /** The hub's IntraHub endpoint, or empty when no hub has that code. */
    public Optional<HubEndpoint> hub(String code) {
        return Optional.ofNullable(hubEndpoints.get(code));
    }

    public List<HubEndpoint> hubEndpoints() {
        return hubs.all().stream().map(h -> hubEndpoints.get(h.code())).toList();
    }

    /** The connected hospital whose HL7 feed carries this MSH-4, or empty. */
    public Optional<Hospital> hospital(String facilityId) {
        return Optional.ofNullable(hospitalsByFacility.get(facilityId));
    }

    public List<Hospital> hospitals() {
        return List.copyOf(hospitalsByFacility.values());
    }

    public Hub requireHub(String code) {
        return hubs.byCode(code).orElseThrow(() -> new IllegalArgumentException("unknown hub code " + code));
    }
}
