// nb30.h from C++: the header compiles as C++ (extern "C" linkage) and gives the same layouts; calls Netbios() once
// (ENUM) so that the C++ name of the entry point links against libnetbios.
#include <cstddef>
#include <cstdio>
#include "nb30.h"

static_assert(sizeof(NCB) == 96, "NCB");
static_assert(offsetof(NCB, ncb_post) == 56, "ncb_post");
static_assert(offsetof(NCB, ncb_event) == 88, "ncb_event");
static_assert(sizeof(ADAPTER_STATUS) == 60, "ADAPTER_STATUS");
static_assert(sizeof(LANA_ENUM) == 256, "LANA_ENUM");

int main()
{
    NCB ncb{};
    LANA_ENUM lanas{};
    ncb.ncb_command = NCBENUM;
    ncb.ncb_buffer = reinterpret_cast<PUCHAR>(&lanas);
    ncb.ncb_length = sizeof lanas;
    UCHAR rc = Netbios(&ncb);
    std::printf("enum %s, %u lanas\n", netbios_strerror(rc), lanas.length);
    netbios_shutdown();
    return rc == NRC_GOODRET && lanas.length == 1 ? 0 : 1;
}
