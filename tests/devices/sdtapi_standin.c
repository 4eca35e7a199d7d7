/*
 * A stand-in for a vendor's sdtapi library (libsdtapi.so / sdtapi.dll): the same
 * functions with the same signatures and return codes, answering from a control file
 * instead of a reader, so the tests run windowdesk's real ctypes path.
 *
 * The control file is named by the environment variable SDTAPI_STANDIN_CONTROL and read
 * on every call, so a test changes the "reader" while it is being polled. Its first line
 * is the mode:
 *   absent     no card on the reader
 *   present    a card lies on the reader
 *   expired    the same, with a card whose validity ended on 2020-01-01
 *   unreadable a card lies there, but reading it fails (0x41)
 *   port_fail  the port cannot be opened, nor used (0x01): the reader is unplugged
 * then optional key=value lines (UTF-8) that replace the card's fields: name, sex,
 * nation, birth, address, id, authority, from, until; and port=N, the only port that
 * opens. Text goes out as the card stores it: UCS-2 little-endian, padded with spaces.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#define API __declspec(dllexport) int __stdcall
#else
#define API __attribute__((visibility("default"))) int
#endif

#define SUCCESS 0x90
#define CARD_FOUND 0x9F
#define NO_CARD_FOUND 0x80
#define NOT_SELECTED 0x81
#define PORT_FAILS 0x01
#define READ_FAILS 0x41

/* What the reader sends back for the photo: a few bytes, as read (not decoded). */
static const unsigned char PHOTO[] = {'W', 'L', 'T', 0x00, 0x01, 0x7F, 0x80, 0xFF};

typedef struct {
    char mode[32];
    char name[128], sex[8], nation[8], birth[16], address[256], id[32];
    char authority[128], from[16], until[32];
    int port;
} Control;

static int opened_port = 0;

static void set_field(char *target, size_t size, const char *value) {
    strncpy(target, value, size - 1);
    target[size - 1] = '\0';
}

static void read_control(Control *c) {
    memset(c, 0, sizeof *c);
    set_field(c->mode, sizeof c->mode, "absent");
    set_field(c->name, sizeof c->name, "王小明");
    set_field(c->sex, sizeof c->sex, "1");
    set_field(c->nation, sizeof c->nation, "01");
    set_field(c->birth, sizeof c->birth, "19800101");
    set_field(c->address, sizeof c->address, "北京市东城区东华门街道南池子大街1号");
    set_field(c->id, sizeof c->id, "110101198001010010");
    set_field(c->authority, sizeof c->authority, "北京市公安局东城分局");
    set_field(c->from, sizeof c->from, "20160301");
    set_field(c->until, sizeof c->until, "20360301");
    const char *path = getenv("SDTAPI_STANDIN_CONTROL");
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) return;
    char line[512];
    int first = 1;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (first) {
            set_field(c->mode, sizeof c->mode, line);
            first = 0;
            continue;
        }
        char *eq = strchr(line, '=');
        if (!eq) continue;
        *eq = '\0';
        const char *key = line, *value = eq + 1;
        if (!strcmp(key, "name")) set_field(c->name, sizeof c->name, value);
        else if (!strcmp(key, "sex")) set_field(c->sex, sizeof c->sex, value);
        else if (!strcmp(key, "nation")) set_field(c->nation, sizeof c->nation, value);
        else if (!strcmp(key, "birth")) set_field(c->birth, sizeof c->birth, value);
        else if (!strcmp(key, "address")) set_field(c->address, sizeof c->address, value);
        else if (!strcmp(key, "id")) set_field(c->id, sizeof c->id, value);
        else if (!strcmp(key, "authority")) set_field(c->authority, sizeof c->authority, value);
        else if (!strcmp(key, "from")) set_field(c->from, sizeof c->from, value);
        else if (!strcmp(key, "until")) set_field(c->until, sizeof c->until, value);
        else if (!strcmp(key, "port")) c->port = atoi(value);
    }
    fclose(f);
    if (!strcmp(c->mode, "expired")) set_field(c->until, sizeof c->until, "20200101");
}

/* UTF-8 text into a field of `size` bytes of UCS-2LE, padded with spaces. */
static void put_ucs2(unsigned char *out, size_t size, const char *text) {
    size_t at = 0;
    const unsigned char *s = (const unsigned char *)text;
    while (*s && at + 2 <= size) {
        unsigned int code;
        if (*s < 0x80) {
            code = *s++;
        } else if ((*s & 0xE0) == 0xC0 && s[1]) {
            code = ((s[0] & 0x1F) << 6) | (s[1] & 0x3F);
            s += 2;
        } else if ((*s & 0xF0) == 0xE0 && s[1] && s[2]) {
            code = ((s[0] & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
            s += 3;
        } else {
            code = '?';
            s++;
        }
        out[at++] = code & 0xFF;
        out[at++] = (code >> 8) & 0xFF;
    }
    for (; at + 2 <= size; at += 2) {
        out[at] = ' ';
        out[at + 1] = 0;
    }
}

static int port_usable(const Control *c, int port) {
    return strcmp(c->mode, "port_fail") != 0 && (c->port == 0 || c->port == port);
}

API SDT_OpenPort(int iPort) {
    Control c;
    read_control(&c);
    if (!port_usable(&c, iPort)) return PORT_FAILS;
    opened_port = iPort;
    return SUCCESS;
}

API SDT_ClosePort(int iPort) {
    if (iPort != opened_port) return PORT_FAILS;
    opened_port = 0;
    return SUCCESS;
}

static int card_state(int iPort, unsigned char *info, int found_code) {
    Control c;
    read_control(&c);
    if (iPort != opened_port || !port_usable(&c, iPort)) return PORT_FAILS;
    if (!strcmp(c.mode, "absent")) return NO_CARD_FOUND;
    if (info) memset(info, 0, 8);
    return found_code;
}

API SDT_StartFindIDCard(int iPort, unsigned char *pucManaInfo, int iIfOpen) {
    (void)iIfOpen;
    return card_state(iPort, pucManaInfo, CARD_FOUND);
}

API SDT_SelectIDCard(int iPort, unsigned char *pucManaMsg, int iIfOpen) {
    (void)iIfOpen;
    int state = card_state(iPort, pucManaMsg, SUCCESS);
    return state == NO_CARD_FOUND ? NOT_SELECTED : state;
}

API SDT_ReadBaseMsg(int iPort, unsigned char *pucCHMsg, unsigned int *puiCHMsgLen,
                    unsigned char *pucPHMsg, unsigned int *puiPHMsgLen, int iIfOpen) {
    (void)iIfOpen;
    Control c;
    read_control(&c);
    int state = card_state(iPort, NULL, SUCCESS);
    if (state != SUCCESS) return state;
    if (!strcmp(c.mode, "unreadable")) return READ_FAILS;
    unsigned char *p = pucCHMsg;
    put_ucs2(p, 30, c.name); p += 30;
    put_ucs2(p, 2, c.sex); p += 2;
    put_ucs2(p, 4, c.nation); p += 4;
    put_ucs2(p, 16, c.birth); p += 16;
    put_ucs2(p, 70, c.address); p += 70;
    put_ucs2(p, 36, c.id); p += 36;
    put_ucs2(p, 30, c.authority); p += 30;
    put_ucs2(p, 16, c.from); p += 16;
    put_ucs2(p, 16, c.until); p += 16;
    put_ucs2(p, 36, ""); /* reserved */
    *puiCHMsgLen = 256;
    memcpy(pucPHMsg, PHOTO, sizeof PHOTO);
    *puiPHMsgLen = sizeof PHOTO;
    return SUCCESS;
}
