package be.recordbroker;

/**
 * IntraHub v3 requests as a client writes them by hand (no generated client in between), for the tests that look at
 * the wire: the envelope, a request id, the author (the sandbox's GP, with the profession given) and the select.
 */
public final class TestSoap {

    private TestSoap() {
    }

    /**
     * A {@code <p:{operation}Request>} envelope, e.g. {@code intraHubRequest("GetTransactionList", "12345625004.1",
     * "persphysician", patientSelect(ssin))}; the select's content is written as given.
     */
    public static String intraHubRequest(String operation, String requestId, String profession, String select) {
        return """
                <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
                    xmlns:p="http://www.ehealth.fgov.be/hubservices/protocol/v3"
                    xmlns:c="http://www.ehealth.fgov.be/hubservices/core/v3"
                    xmlns:k="http://www.ehealth.fgov.be/standards/kmehr/schema/v1">
                  <soapenv:Body>
                    <p:%1$sRequest>
                      <c:request>
                        <c:id S="ID-KMEHR" SV="1.0">%2$s</c:id>
                        <c:author><k:hcparty><k:id S="ID-HCPARTY" SV="1.0">12345625004</k:id>
                          <k:cd S="CD-HCPARTY" SV="1.1">%3$s</k:cd>
                          <k:firstname>An</k:firstname><k:familyname>Verstraeten</k:familyname></k:hcparty></c:author>
                        <c:date>2026-11-22</c:date><c:time>10:00:00</c:time>
                      </c:request>
                      <c:select>%4$s</c:select>
                    </p:%1$sRequest>
                  </soapenv:Body>
                </soapenv:Envelope>
                """.formatted(operation, requestId, profession, select);
    }

    /** The same from the sandbox's GP (a physician), request id {@code 12345625004.1}. */
    public static String intraHubRequest(String operation, String select) {
        return intraHubRequest(operation, "12345625004.1", "persphysician", select);
    }

    /** A select's patient by SSIN. */
    public static String patientSelect(String ssin) {
        return "<c:patient><c:id S=\"INSS\" SV=\"1.0\">" + ssin + "</c:id></c:patient>";
    }
}
