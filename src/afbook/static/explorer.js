/* afbook explorer: the static site's frame swap (inlined by afbook.explore; see its docstring).
   The root is the script's parent div.afx-explorer, or the element whose id replaces AFX_ROOT_ID.
   Frames, alt texts and value labels come from Python in script.afx-data; no formula is
   evaluated here. Only the code after this comment is inlined into the page. */
(function(){
var s=document.currentScript,r=(s&&s.parentNode&&s.parentNode.classList&&s.parentNode.classList.contains("afx-explorer"))?s.parentNode:document.getElementById(AFX_ROOT_ID);
if(!r||r.getAttribute("data-afx-ready"))return;r.setAttribute("data-afx-ready","1");
var d=JSON.parse(r.querySelector("script.afx-data").textContent),img=r.querySelector("img.afx-frame"),
ins=r.querySelectorAll("input[type=range]"),outs=r.querySelectorAll("output.afx-value");
d.frames[d.init]=img.getAttribute("src");
function upd(){var k,i=0;for(k=0;k<ins.length;k++){var v=+ins[k].value;i=i*d.shape[k]+v;
outs[k].textContent=d.texts[k][v];ins[k].setAttribute("aria-valuetext",d.names[k]+" = "+d.texts[k][v]);}
if(img.getAttribute("src")!==d.frames[i]){img.src=d.frames[i];}img.alt=d.alts[i];}
for(var k=0;k<ins.length;k++){ins[k].addEventListener("input",upd);ins[k].addEventListener("change",upd);}
upd();})();
