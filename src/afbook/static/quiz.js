/* afbook quiz: immediate feedback for one div.afx-quiz (inlined by afbook.quiz; see its docstring).
   The root is the script's parent div.afx-quiz, or the element whose id replaces AFX_ROOT_ID.
   Keys, feedback and messages come from Python in script.afx-quiz-data (computed by the
   library); numbers typed by the reader are parsed here (0.25, 1/4, 2.5e-1, U+2212 minus).
   Only the code after this comment is inlined into the page. */
(function(){
var s=document.currentScript,r=(s&&s.parentNode&&s.parentNode.classList&&s.parentNode.classList.contains("afx-quiz"))?s.parentNode:document.getElementById(AFX_ROOT_ID);
if(!r||r.getAttribute("data-afx-ready"))return;r.setAttribute("data-afx-ready","1");
var D=JSON.parse(r.querySelector("script.afx-quiz-data").textContent);
function num(t){t=String(t).replace(/\u2212/g,"-").replace(/[\s,]/g,"");if(!t)return NaN;
var m=t.match(/^([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\/([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)$/i);
if(m)return parseFloat(m[1])/parseFloat(m[2]);return /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i.test(t)?parseFloat(t):NaN;}
function say(fb,ok,h){fb.classList.remove("afx-correct","afx-incorrect");if(ok!==null)fb.classList.add(ok?"afx-correct":"afx-incorrect");
fb.innerHTML=h;if(window.MathJax&&MathJax.typesetPromise){MathJax.typesetPromise([fb]).catch(function(){});}}
function check(q){var d=D[q.getAttribute("data-qid")],fb=q.querySelector("div.afx-feedback"),h,ok;
if(d.type==="numeric"){var inp=q.querySelector("input.afx-input"),v=num(inp.value);
if(isNaN(v)){say(fb,false,"<p>"+d.msg.nan+"</p>");return;}
ok=Math.abs(v-d.answer)<=d.tolerance;h=ok?d.msg.right+d.explanation:d.msg.wrong+d.hint;say(fb,ok,h);return;}
var boxes=q.querySelectorAll("input.afx-choice"),sel=[],i,miss=0,extra=0;
for(i=0;i<boxes.length;i++){if(boxes[i].checked)sel.push(i);}
if(!sel.length){say(fb,null,"<p>"+d.msg.none+"</p>");return;}
h="";for(i=0;i<boxes.length;i++){var c=boxes[i].checked;if(d.correct[i]&&!c)miss++;if(!d.correct[i]&&c)extra++;if(c&&d.feedback[i])h+=d.feedback[i];}
ok=!miss&&!extra;var head=ok?d.msg.right:d.msg.wrong;
if(!ok&&d.type==="multiple"&&miss&&!extra)head=d.msg.missing;
say(fb,ok,head+h+(ok?d.explanation:d.hint));}
var qs=r.querySelectorAll("div.afx-question");
for(var k=0;k<qs.length;k++){(function(q){q.querySelector("button.afx-check").addEventListener("click",function(){check(q);});
var t=q.querySelector("input.afx-input");if(t)t.addEventListener("keydown",function(e){if(e.key==="Enter"){e.preventDefault();check(q);}});})(qs[k]);}
})();
