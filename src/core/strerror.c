#include "mamori/error.h"

const char *mamori_strerror(int err)
{
    switch (err) {
#define MAMORI_ERROR_CASE(name, value, text)                                   \
    case (value):                                                              \
        return text;
        MAMORI_ERROR_LIST(MAMORI_ERROR_CASE)
#undef MAMORI_ERROR_CASE
    }
    return "unknown error";
}
