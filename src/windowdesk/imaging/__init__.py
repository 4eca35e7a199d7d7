"""Page images: decoding what a scanner, a camera or a file gives, and the stored form."""
