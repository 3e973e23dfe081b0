// Streams an export from the portal's API and reports progress (lines received) while it downloads,
// then hands the file to the browser. The portal's session cookie authenticates the request.
window.portalExport = async function (url, fileName, progress) {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) {
        throw new Error(`The export was refused: ${response.status} ${response.statusText}`);
    }

    const reader = response.body.getReader();
    const chunks = [];
    let lines = 0;
    let reported = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done) {
            break;
        }

        chunks.push(value);
        for (let i = 0; i < value.length; i++) {
            if (value[i] === 10) {
                lines++;
            }
        }

        if (lines - reported >= 500) {
            reported = lines;
            await progress.invokeMethodAsync("Report", lines);
        }
    }

    await progress.invokeMethodAsync("Report", lines);
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob(chunks, { type: response.headers.get("content-type") || "application/octet-stream" }));
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    return lines;
};
